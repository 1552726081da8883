"""Retention (RET-1..9): the register's retention rules as executable policies, legal holds, and the
resumable nightly run."""
