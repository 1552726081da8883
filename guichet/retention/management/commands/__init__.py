"""Management commands of the retention app."""
