"""The e-Box (EBOX-1..5): documents the mutual issues to a person, their delivery (e-Box or print queue),
the inbox and the one validated upload path."""
