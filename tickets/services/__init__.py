"""Writes live here: every change to tickets goes through one of these services."""
