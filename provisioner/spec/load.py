"""Read a request spec file into a RequestSpec, or raise SpecError with every problem.

YAML is parsed with PyYAML's safe loader; pydantic does the typing. Each problem
carries the file and the line of the offending key, so a department sees
`request_specs/x/y.yaml:12:5: ...` rather than a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from provisioner.errors import Location, Problem, SpecError
from provisioner.spec.model import RequestSpec

MAX_SPEC_BYTES = 256 * 1024


class _LineLoader(yaml.SafeLoader):
    """Safe loader that remembers where each mapping key stands."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    positions: dict[str, tuple[int, int]] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        positions[str(key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
    mapping["__positions__"] = positions
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip_positions(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _strip_positions(v) for k, v in data.items() if k != "__positions__"}
    if isinstance(data, list):
        return [_strip_positions(v) for v in data]
    return data


def _locate(data: Any, path: tuple[int | str, ...], file: str) -> Location:
    """Walk the loc of a pydantic error down the positioned tree; stop at the deepest known key."""
    line, col = 1, 1
    node = data
    for part in path:
        if isinstance(node, dict):
            pos = node.get("__positions__", {}).get(str(part))
            if pos:
                line, col = pos
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            break
    return Location(file, line, col)


def parse_spec(text: str, file: str) -> RequestSpec:
    """Parse spec text; `file` is the path shown in messages."""
    try:
        raw = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file, 1, 1)
        raise SpecError([Problem(loc, "spec-yaml", f"{exc.problem or exc}")]) from exc
    if not isinstance(raw, dict):
        raise SpecError([Problem(Location(file, 1, 1), "spec-shape", "a request spec is a YAML mapping")])
    try:
        return RequestSpec.model_validate(_strip_positions(raw))
    except ValidationError as exc:
        problems = [
            Problem(_locate(raw, tuple(err["loc"]), file), "spec-field",
                    f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}")
            for err in exc.errors()
        ]
        raise SpecError(problems) from exc


def load_spec(path: Path, root: Path) -> RequestSpec:
    """Load a spec file; messages name it relative to the repository root."""
    shown = str(path.resolve().relative_to(root.resolve())) if path.is_absolute() else str(path)
    data = path.read_bytes()
    if len(data) > MAX_SPEC_BYTES:
        raise SpecError([Problem(Location(shown, 1, 1), "spec-size",
                                 f"file is {len(data)} bytes; the limit is {MAX_SPEC_BYTES}")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError([Problem(Location(shown, 1, 1), "spec-encoding", "file is not UTF-8")]) from exc
    return parse_spec(text, shown)
