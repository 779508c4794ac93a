"""One reader for every file under policies/: its text -> its typed model, or every problem at file:line.

Built on the request specs' YAML tree (provisioner.spec.yamltree), so a policy file
gets the same YAML checks as a request (duplicate keys, tabs, YAML 1.1 surprises,
several documents) and every problem the line and column of the value it is about,
else of the closest key written above it. Each problem has a rule id:

    yaml-*                   the YAML itself, as for request specs
    policy-config-invalid    a value of the wrong shape or a rule between values (pydantic's message)
    policy-file-missing      a file the command needs is not there
    policy-file-unreadable   the file cannot be read as UTF-8 text
    <the caller's>           a check across values, given as an Issue (e.g. owners-parent)

and cites the article the file serves. Pure: texts in, models out (store.py reads them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from provisioner.errors import Location, Problem, SpecError
from provisioner.policy.messages import WORDS
from provisioner.spec.diagnose import dotted
from provisioner.spec.findings import Finding
from provisioner.spec.problems import position, to_problems
from provisioner.spec.yamltree import Tree, read_yaml
from provisioner.words import Text

POLICY_FOLDER = "policies"
INVALID = "policy-config-invalid"
M = TypeVar("M", bound=BaseModel)


class PolicyConfigError(SpecError):
    """policies/ itself is wrong: nothing can be checked against it."""

    def __str__(self) -> str:
        # outside the CLI (a hand-run Pulumi program) no language was asked for: English, then Chinese
        head = f"{WORDS.say('policies-invalid', 'en')} ({WORDS.say('policies-invalid', 'zh')})"
        return f"{head}:\n" + "\n".join(p.render("en") for p in self.problems)


@dataclass(frozen=True)
class Issue:
    """A problem a check found in a valid file: the path of the value it is about, its rule and words."""

    path: tuple[Any, ...]
    code: str
    words: Text
    on_key: bool = True


Check = Callable[[Any], Iterable[Issue]]


def shown(name: str) -> str:
    """The path a problem names: policies/<name> (name relative to the folder, e.g. prices/2026.yaml)."""
    return f"{POLICY_FOLDER}/{name}"


def read(model: type[M], text: str, name: str, article: str, checks: Iterable[Check] = ()
         ) -> tuple[M | None, Tree | None, list[Problem]]:
    """The model (None when invalid), the file's positions and every problem found."""
    tree, findings = read_yaml(text)
    problems = [replace(p, article=article) for p in to_problems(findings, tree, shown(name))]
    if tree is None or findings:
        return None, tree, problems
    try:
        value = model.model_validate(tree.data if tree.data is not None else {})
    except ValidationError as exc:
        return None, tree, invalid(exc, tree, name, article)
    issues = [issue for check in checks for issue in check(value)]
    return value, tree, [problem(name, at(tree, i.path, i.on_key), i.code, i.words, article) for i in issues]


def parse(model: type[M], text: str, name: str, article: str, checks: Iterable[Check] = ()) -> M:
    """The model, or PolicyConfigError listing every problem of the file."""
    value, _, problems = read(model, text, name, article, checks)
    if problems or value is None:
        raise PolicyConfigError(problems)
    return value


def invalid(exc: ValidationError, tree: Tree, name: str, article: str, prefix: tuple = ()) -> list[Problem]:
    """pydantic's errors, each at the line of the value it names (`prefix`: where the model was read from)."""
    found = []
    for err in exc.errors(include_url=False):
        path = prefix + tuple(p for p in err["loc"] if not str(p).startswith("function-"))
        field = dotted(tuple(p for p in path if p != "[key]")) or "(file)"
        on_key = err["type"] == "extra_forbidden"      # an unknown key: the key is the mistake
        found.append(problem(name, at(tree, path, on_key), INVALID, WORDS(INVALID, field=field, error=err["msg"]),
                             article))
    return found


def at(tree: Tree | None, path: tuple, on_key: bool) -> tuple[int, int]:
    """The line and column of the value (or key) at `path`; else of its closest written parent."""
    return position(Finding("policy", tuple(str(p) if p == "[key]" else p for p in path), on_key=on_key), tree)


def problem(name: str, where: tuple[int, int], code: str, words: Text, article: str) -> Problem:
    return Problem(Location(shown(name), *where), code, words.render("zh"), article, words.render("en"))


def missing(name: str, article: str) -> PolicyConfigError:
    return PolicyConfigError([problem(name, (1, 1), "policy-file-missing", WORDS("policy-file-missing"), article)])


def unreadable(name: str, article: str, exc: Exception) -> PolicyConfigError:
    return PolicyConfigError([problem(name, (1, 1), "policy-file-unreadable",
                                      WORDS("policy-file-unreadable", error=exc), article)])
