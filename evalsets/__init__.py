"""Evaluation sets that score the product from outside it (never imported by the product)."""
