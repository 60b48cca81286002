"""What a command leaves for the operating system to take back when the process ends.

:func:`checker.cli.run` ends the process with ``os._exit`` once the command has
written everything: the heap of a large check (a model of 100,000 services, tens of
thousands of findings) is returned to the system at once instead of being freed
object by object. A command's own locals are freed earlier, though, when it returns:
a command hands its large values to :func:`leave_for_exit` after its last output, so
that nothing is freed on the way back to ``os._exit`` (a twentieth of a large check).
When :func:`checker.cli.main` is called otherwise (tests, embedders), nothing is kept.
"""

from __future__ import annotations

_kept: list[object] = []
_exit_follows = False


def exit_follows() -> None:
    """Say that the process ends with ``os._exit`` once the command returns."""
    global _exit_follows
    _exit_follows = True


def leave_for_exit(*values: object) -> None:
    """Keep ``values`` referenced until the process ends, if it ends right after the
    command (:func:`exit_follows`); otherwise they are freed as usual."""
    if _exit_follows:
        _kept.extend(values)
