"""Turning results and answers into text, one convention for all."""
