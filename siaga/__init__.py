"""Siaga: plan, command and evaluate the security of Indonesian elections."""

__version__ = "0.1.0"
