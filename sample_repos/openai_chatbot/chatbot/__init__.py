"""Acme Outdoor Gear support chatbot."""

__version__ = "0.4.2"
