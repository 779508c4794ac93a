"""Write the page set into a folder (edge): each page replaced whole (written aside, then renamed), so a
web server serving the folder never sends half a page; system pages no longer in the set are removed."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

SUBFOLDERS = ("r", "d", "s")


def write(pages: Iterable[tuple[str, str]], folder: Path) -> int:
    """Returns how many pages were written."""
    for sub in SUBFOLDERS:
        (folder / sub).mkdir(parents=True, exist_ok=True)
    written: set[str] = set()
    for path, html in pages:
        target = folder / path
        aside = target.with_name(f".{target.name}.new")
        aside.write_text(html, encoding="utf-8")
        os.replace(aside, target)
        written.add(path)
    for sub in SUBFOLDERS:
        for old in (folder / sub).glob("*.html"):
            if f"{sub}/{old.name}" not in written:
                old.unlink()
    return len(written)


def repository_files(root: Path) -> frozenset[str]:
    """The request specs and stack files that exist, as posix paths from the repository root."""
    found = {f"request_specs/{spec.parent.name}/{spec.name}" for spec in root.glob("request_specs/*/*.y*ml")}
    found |= {f"stacks/{stack.name}" for stack in root.glob("stacks/Pulumi.*.yaml")}
    return frozenset(found)


def repository_href(root: Path, folder: Path) -> str:
    """The repository root seen from the page set's root, as a relative URL ending in '/'."""
    return Path(os.path.relpath(root.resolve(), folder.resolve())).as_posix().rstrip("/") + "/"
