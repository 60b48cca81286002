"""Importers: read an inventory a team already keeps and write a resilint manifest.

One module per source system, each pure (parsed documents in, an
:class:`~checker.importers.common.Inventory` out); the CLI reads the files and writes
the manifest. See docs/importing.md.
"""
