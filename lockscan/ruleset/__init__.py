"""The rules as data: the rule model, the TOML loader, path patterns, the matchers (one
module each, ``lockscan.ruleset.matchers``) and the index the engine matches through."""
