"""Template tags of the cookies app."""
