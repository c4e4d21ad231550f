"""Procurement."""
