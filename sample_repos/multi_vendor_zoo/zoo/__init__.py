"""Research assistant: summarise, classify, search and answer over saved papers."""
