"""Every name of the score package in one namespace (``S``), for the score tests and
the reference scorer, which predate the package's split into modules."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

from lockscan import score
from lockscan.model import SwitchCost

price = importlib.import_module("lockscan.score.price")  # the package's `price` is a function
suggest = importlib.import_module("lockscan.score.suggest")
targets = importlib.import_module("lockscan.score.targets")

S = SimpleNamespace(**{**{name: value for module in (targets, price, suggest, score)
                          for name, value in vars(module).items() if not name.startswith("__")},
                       "SwitchCost": SwitchCost})
CENTS = price.CENTS
LEGACY_APIS = targets.LEGACY_APIS
PORTABLE_SHARE = price.PORTABLE_SHARE
SETUP_KINDS = suggest.SETUP_KINDS
SUGGESTIONS = suggest.SUGGESTIONS
Efforts = price.Efforts
Neighbours = suggest.Neighbours
Tally = price.Tally
choose_targets = targets.choose_targets
grade_for = price.grade_for
index_for = price.index_for
is_code = price.is_code
portable_layers = targets.portable_layers
rule_efforts = price.rule_efforts
scatter_factor = price.scatter_factor
tally = price.tally
