"""Read the NetBox inputs named on the command line: dump files, API response files, folders.

A file is a ``dumpdata`` export when it is a list of ``{"model", "fields"}`` objects,
and an API response otherwise; a folder is read as the files in it (``*.json``,
recursively, in name order). Positions for errors are found only when
one must be reported (docs/importing-netbox.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from checker.core.errors import InputError
from checker.core.location import Location
from checker.importers.common import Skipped
from checker.importers.netbox_dump import looks_like_dumpdata, read_dumpdata
from checker.importers.netbox_rest import read_rest
from checker.importers.netbox_schema import Locate, NetBoxData
from checker.loading.files import display_path, read_text
from checker.loading.json_source import parse_export


def read_inputs(paths: Sequence[Path]) -> NetBoxData:
    data = NetBoxData()
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                relative = found.relative_to(path).parts
                if any(part.startswith(".") for part in relative) or not found.is_file():
                    continue
                if found.suffix.lower() != ".json":
                    data.skipped.append(Skipped("file", display_path(found), "not a .json file"))
                    continue
                read_file(found, data)
        elif path.exists():
            read_file(path, data)
        else:
            raise InputError("no such file or directory", Location(str(path)))
    return data


def read_file(path: Path, data: NetBoxData) -> None:
    shown = display_path(path)
    value, locate = load_json(path, shown)
    if looks_like_dumpdata(value):
        read_dumpdata(value, shown, locate, data)
    else:
        read_rest(value, shown, locate, data, file_stem=path.stem)


def load_json(path: Path, shown: str) -> tuple[Any, Locate]:
    """Parse a JSON file read like every input: a regular file only (a FIFO or device
    is refused, never opened blocking), UTF-8, within the input size limit, which
    ``RESILINT_MAX_FILE_BYTES`` raises for a large export (docs/limits.md)."""
    return parse_json_text(read_text(path, shown), shown)


def parse_json_text(text: str, shown: str) -> tuple[Any, Locate]:
    """The data of an export or API response and where its parts are written: bad JSON,
    integers over the limit and lone surrogates are errors at their position
    (:func:`~checker.loading.json_source.parse_export`)."""
    document = parse_export(text, shown)
    return document.data, document.location
