"""Placeholder: the ingest work replaces this module."""
