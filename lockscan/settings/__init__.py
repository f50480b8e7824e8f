"""Project configuration (``[tool.lockscan]``) and command-line overrides, from one
option table."""
