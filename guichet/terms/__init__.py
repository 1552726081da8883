"""Versioned terms of use and specific conditions of services, and who accepted which version (ACC-10)."""
