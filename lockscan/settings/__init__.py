"""Project configuration (``[tool.lockscan]``) and command-line overrides, from one
option table (``options``): loading and validation (``load``), provenance (``describe``)."""

from lockscan.settings.describe import describe
from lockscan.settings.load import Settings, find_config, load_settings
from lockscan.settings.options import OPTIONS, Condition, Option, parse_condition

__all__ = ["OPTIONS", "Condition", "Option", "Settings", "describe", "find_config",
           "load_settings", "parse_condition"]
