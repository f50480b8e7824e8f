"""Tool-using research agent on top of Claude."""
