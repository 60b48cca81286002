"""Reading YAML, TOML and JSON files into plain data that knows where each part came from."""
