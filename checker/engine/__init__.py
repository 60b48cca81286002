"""The failure engine: the one implementation of docs/manifest.md's failure semantics."""
