"""Read a request spec file into a RequestSpec, or raise SpecError with every problem.

The steps: bytes (size, UTF-8) -> YAML tree with positions and the YAML traps
(yamltree) -> typed model (pydantic, errors via diagnose) -> checks across fields
(rules) and of the file's place -> located, bilingual Problems. Each step reports
all it finds; a step runs only on what the previous one could read.

A spec with nothing wrong takes a faster road (read_plain: only the events' marks kept);
its positions are worked out from them only when there is something to report (a policy
finding, a number another file uses).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from provisioner.errors import Problem, SpecError
from provisioner.spec import sections
from provisioner.spec.diagnose import findings_from
from provisioner.spec.findings import Finding
from provisioner.spec.model import RequestSpec
from provisioner.spec.location import Placer, is_request, place, read_limited
from provisioner.spec.placement import check_placement
from provisioner.spec.problems import to_problems
from provisioner.spec.rules import run_checks
from provisioner.spec.yamltree import UNUSUAL, Tree, read_plain, read_yaml

MAX_SPEC_BYTES = 256 * 1024


@dataclass(frozen=True)
class Checked:
    """One file's outcome: the spec (None unless it has no problem at all) and every problem."""

    path: str                       # as shown in messages
    spec: RequestSpec | None
    problems: list[Problem]
    tree: Tree | None = None        # positions (None when the text could not be read)
    text: str | None = None         # to find positions later, for checks across files


def check_text(text: str, file: str) -> Checked:
    """Check spec text; `file` is the path shown in messages."""
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_SPEC_BYTES:
        return Checked(file, None, to_problems([_too_large(size)], None, file))
    return _check(text, file)


def _check(text: str, file: str) -> Checked:
    """check_text once the text's size is known to be within the limit."""
    fast = _fast(text, file)
    if fast is not None:
        spec, plain = fast
        return Checked(file, spec, [], plain, text)
    tree, findings = read_yaml(text)
    if tree is not None:
        spec, more = _validate(tree, file)
        findings.extend(more)
    return Checked(file, spec if not findings else None, to_problems(findings, tree, file), tree, text)


def _fast(text: str, file: str) -> tuple[RequestSpec, Tree | None] | None:
    """The spec when nothing at all is wrong with it, and its tree (positions worked out when asked)."""
    plain = read_plain(text)
    if plain is UNUSUAL or not isinstance(plain.data, dict):
        return None
    data = plain.data
    try:
        spec = RequestSpec.model_validate(data)
    except ValidationError:
        return None
    parts = sections.of_spec(spec)
    return None if run_checks(parts) or check_placement(parts, file) else (spec, plain if plain.has_positions() else None)


def _validate(tree: Tree, file: str) -> tuple[RequestSpec | None, list[Finding]]:
    data = tree.data
    if data is None:
        return None, [Finding("spec-empty")]
    if not isinstance(data, dict):
        return None, [Finding("spec-not-mapping", params={"input": data})]
    try:
        spec = RequestSpec.model_validate(data)
    except ValidationError as exc:
        parts = sections.of_data(data)
        found = findings_from(exc, RequestSpec, tree.reported)
        return None, found + run_checks(parts) + check_placement(parts, file)
    parts = sections.of_spec(spec)
    return spec, run_checks(parts) + check_placement(parts, file)


def parse_spec(text: str, file: str) -> RequestSpec:
    """Parse spec text; `file` is the path shown in messages."""
    checked = check_text(text, file)
    if checked.spec is None:
        raise SpecError(checked.problems)
    return checked.spec


def check_file(path: Path, root: Path, placer: Placer | None = None) -> Checked:
    """Read and check one file; messages name it relative to the repository root.

    Only a regular file inside the repository, reached through no symbolic link, is
    read (provisioner/spec/location.py); anything else is one problem quoting nothing.
    `placer`: the root's, when checking many files."""
    placed = (placer or Placer(root)).place(path)
    shown = placed.shown
    read = placed.refused or read_limited(placed.file, MAX_SPEC_BYTES)  # type: ignore[arg-type]
    if isinstance(read, Finding):
        return Checked(shown, None, to_problems([read], None, shown))
    if isinstance(read, int) or len(read) > MAX_SPEC_BYTES:  # the file may be huge: never read whole
        return Checked(shown, None, to_problems([_too_large(read if isinstance(read, int) else len(read))], None, shown))
    try:
        text = read.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Checked(shown, None, to_problems([_not_utf8(read, exc)], None, shown))
    return _check(text, shown)         # its size checked on the bytes read: no need to encode it again


def load_spec(path: Path, root: Path) -> RequestSpec:
    """Load a spec file, or raise SpecError with every problem."""
    checked = check_file(path, root)
    if checked.spec is None:
        raise SpecError(checked.problems)
    return checked.spec


def load_request(path: Path, root: Path) -> tuple[RequestSpec, str]:
    """A request that becomes stacks, and its path from the repository root: only
    request_specs/<department>/<system>.yaml, whose folder is its department's."""
    checked = check_file(path, root)
    if checked.spec is not None and not is_request(checked.path):
        raise SpecError(to_problems([Finding("spec-not-request")], None, checked.path))
    if checked.spec is None:
        raise SpecError(checked.problems)
    return checked.spec, checked.path


def shown_path(path: Path, root: Path) -> str:
    """Relative to the repository root when inside it, else as given; always with `/`."""
    return place(path, root).shown


def _too_large(size: int) -> Finding:
    return Finding("file-too-large", params={"size": size, "limit": MAX_SPEC_BYTES})


def _not_utf8(data: bytes, exc: UnicodeDecodeError) -> Finding:
    before = data[: exc.start]
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", errors="replace")) + 1
    return Finding("file-not-utf8", at=(line, column), params={"byte": f"0x{data[exc.start]:02x}"})
