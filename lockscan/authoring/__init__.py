"""For rule authors: checking rules against their annotated examples, and rule docs."""
