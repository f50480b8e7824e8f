"""The per-file facts cache and the last scan result, in SQLite (``store``); where a
cache file may be opened, replaced or deleted (``place``)."""
