"""The public pages (home, contact), the member's and the staff member's home, and site-wide helpers."""
