"""Belgian Dutch formats."""
