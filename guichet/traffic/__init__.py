"""The connection log (ACC-9): time, shortened IP, browser and device family, page, for statistics."""
