"""labelkit - tooling for the Open Annotation Interface."""
