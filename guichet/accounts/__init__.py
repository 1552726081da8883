"""Identity: registration, login, one-time codes, second factors, sessions, restrictions, inactivity."""
