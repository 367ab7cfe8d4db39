"""Deterministic demo mails for the demo and `generate_tickets`; their images are drawn by the top-level `demo` package."""
