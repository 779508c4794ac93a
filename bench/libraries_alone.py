"""A process that holds only the libraries govcloud's exporter daemon imports: the floor under its memory.

    python -OO bench/libraries_alone.py MODULES.txt

MODULES.txt lists, one a line, the modules the daemon imported in a real run (bench_metrics.py
takes them from `python -X importtime -OO -m provisioner.metering --once` on the same ledger and
cloud). This process imports the third-party ones among them (those found in site-packages) and
Python's own ones, none of govcloud's, reads no ledger and keeps no data, prints `ready` and waits
for its standard input to close (`ready` names the libraries it holds). A third-party package the daemon did not import stays out here
too (SQLAlchemy would otherwise pull in greenlet, which the daemon keeps out). Its resident memory
is what Python and those libraries cost before one line of govcloud runs: bench_metrics.py prints
it beside the daemon's and openstack-exporter's.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import sysconfig

PURELIB = sysconfig.get_paths()["purelib"]


def _installed(spec: importlib.machinery.ModuleSpec | None) -> bool:
    """Whether a module found is a library's (from site-packages), not Python's own or govcloud's."""
    return bool(spec and spec.origin and spec.origin.startswith(PURELIB))


def third_party(name: str) -> bool:
    return _installed(importlib.util.find_spec(name.partition(".")[0]))


class _OnlyThese(importlib.abc.MetaPathFinder):
    """Refuses third-party packages the daemon did not import (the optional ones it keeps out)."""

    def __init__(self, roots: set[str]) -> None:
        self.roots = roots

    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001 - importlib's protocol
        if path is None and fullname not in self.roots and fullname not in sys.builtin_module_names:
            if _installed(importlib.machinery.PathFinder.find_spec(fullname)):
                raise ImportError(f"{fullname}: not imported by the daemon")
        return None


def main(listing: str) -> None:
    with open(listing, encoding="utf-8") as handle:
        names = [line.strip() for line in handle if line.strip()]
    wanted = [name for name in names if name.partition(".")[0] != "provisioner"]
    roots = {name.partition(".")[0] for name in wanted if third_party(name)}
    sys.meta_path.insert(0, _OnlyThese(roots))
    for name in wanted:
        try:
            importlib.import_module(name)
        except ImportError:
            pass                         # an optional import the daemon also went without
    held = sorted({name.partition(".")[0] for name, module in list(sys.modules.items())
                   if (getattr(module, "__file__", None) or "").startswith(PURELIB)})
    own = sum(name.partition(".")[0] == "provisioner" for name in sys.modules)
    print(f"ready: {len(sys.modules)} modules, {own} of govcloud's; libraries: {', '.join(held)}", flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    main(sys.argv[1])
