"""Files resilint generates: JSON Schemas and starter files."""
