"""Policies: rule files, packs, selection."""
