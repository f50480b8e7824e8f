"""What decides a verdict after a scan: the gateway policy, ``fail_on`` conditions,
baselines, and diffs between git refs."""
