"""The per-file facts cache and the last scan result, in SQLite (``store``); the
per-user key its rows are signed with (``secret``); where a cache file may be opened,
replaced or deleted (``place``)."""
