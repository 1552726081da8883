"""The member registry: persons, households over time, affiliations and contact data."""
