"""The per-file facts cache and the last scan result, in SQLite (``store``)."""
