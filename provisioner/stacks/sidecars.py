"""The empty attribute files a killed run can leave in a file:// state backend.

Pulumi's file backend writes through gocloud's fileblob, which keeps each object's attributes
(content type, MD5) in a sidecar `<object>.attrs`. When an object is written, the sidecar is
created in place (truncated, then written) just before the object's new contents are renamed
over it. A run killed between the two leaves the sidecar empty, the object itself intact; from
then on every read of the object fails (`failed to load checkpoint: EOF`), so the stack can be
neither updated, previewed nor read by a stack that references it, until someone deletes the
file by hand. fileblob reads an absent sidecar as default attributes, so removing an empty one
is all the repair there is. A complete sidecar is one JSON line of about 200 bytes written in
one call: only an empty one is a killed run's.
"""

from __future__ import annotations

import os
from pathlib import Path

SUFFIX = ".attrs"


def empty_sidecars(folder: Path) -> list[Path]:
    """The empty `.attrs` files directly in this folder (none when it does not exist)."""
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    return sorted(Path(entry.path) for entry in entries
                  if entry.name.endswith(SUFFIX) and entry.is_file(follow_symlinks=False)
                  and entry.stat(follow_symlinks=False).st_size == 0)


def remove_empty_sidecars(folder: Path) -> list[str]:
    """Remove them; the names of the objects they belonged to (`<stack>.json`, ...)."""
    removed = []
    for sidecar in empty_sidecars(folder):
        sidecar.unlink(missing_ok=True)
        removed.append(sidecar.name.removesuffix(SUFFIX))
    return removed
