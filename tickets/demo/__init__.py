"""Deterministic demo data (synthetic attachments) shared by the demo, the tests and the evaluation set."""
