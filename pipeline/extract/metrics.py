"""Placeholder: the extractor work replaces this module."""
