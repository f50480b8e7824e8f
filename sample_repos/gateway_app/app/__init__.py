"""Knowledge-base assistant service."""
