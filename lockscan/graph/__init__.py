"""The repository as a graph of modules, vendors, imports and coupling, and the questions
asked of it (gateways, leaks, blast radius)."""
