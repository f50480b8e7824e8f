"""The rules as data: the rule model, the TOML loader, path patterns, the matchers (one
module each, ``lockscan.ruleset.matchers``) and the index the engine matches through."""

from lockscan.ruleset.loader import bundled_rules_dir, load_rules
from lockscan.ruleset.model import Rule, RuleSet, Vendor

__all__ = ["Rule", "RuleSet", "Vendor", "bundled_rules_dir", "load_rules"]
