"""Policy files of the information office (policies/...): YAML -> typed model, every problem at once.

Problems carry the file and the line of the offending key (pydantic's error path looked up
in the YAML node tree), in Chinese and English, like request specs (provisioner.errors).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from provisioner.errors import Location, Problem, SpecError

M = TypeVar("M", bound=BaseModel)


def _line(node: yaml.Node | None, path: Sequence[Any]) -> int:
    line = node.start_mark.line + 1 if node is not None else 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            if found is None:
                break
            line, node = found[0].start_mark.line + 1, found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def line_of(text: str, path: Sequence[Any]) -> int:
    """The line of the key at `path` (e.g. ["departments", "jj-jyj", "parent"]) in YAML `text`."""
    try:
        return _line(yaml.compose(text), path)
    except yaml.YAMLError:
        return 1


def problem(shown: str, line: int, code: str, zh: str, en: str, article: str = "") -> Problem:
    return Problem(Location(shown, line, 1), code, zh, article, en)


def parse(model: type[M], text: str, shown: str, article: str = "", code: str = "policy") -> M:
    """The model, or SpecError listing every problem with `shown:line` (codes `<code>-yaml`, `<code>-field`)."""
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise SpecError([problem(shown, line, f"{code}-yaml", f"YAML 语法错误：{exc}", f"YAML syntax: {exc}", article)]) from exc
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        raise SpecError([_from_error(e, root, shown, article, code) for e in exc.errors()]) from exc


def _from_error(error: Any, root: yaml.Node | None, shown: str, article: str, code: str) -> Problem:
    path = [p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
    dotted = ".".join(str(p) for p in path) or "(file)"
    return problem(shown, _line(root, path), f"{code}-field", f"{dotted}：{error['msg']}", f"{dotted}: {error['msg']}",
                   article)
