"""Puente: a B2B matchmaking marketplace for MSMEs of the Americas."""

__version__ = "0.1.0"
