"""Synthetic demo attachments (screens, ID photos, selfies, PDFs), outside the product package.

The demo (`load_demo`, `generate_tickets`), the triage evaluation set, the tests and the benches draw their
images here, so that importing the product never brings the drawing code along.
"""
