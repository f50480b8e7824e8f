"""The scan pipeline: discover files, analyze them (in a pool, through the cache), link
across modules, then graph and score (``lockscan.pipeline.scan``)."""
