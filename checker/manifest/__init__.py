"""The manifest format: its pydantic schema, and loading a set of files into a model."""
