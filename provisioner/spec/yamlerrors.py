"""libyaml's errors as findings: located, and in words a department's staff can act on."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from provisioner.spec.findings import Finding
from provisioner.spec.messages import WORDS

# libyaml's problem (how it starts) -> the sentence explaining it (spec/messages.py WORDS).
_SYNTAX = {
    "mapping values are not allowed": "syntax-mapping-values",
    "could not find expected ':'": "syntax-expected-colon",
    "did not find expected key": "syntax-expected-key",
    "did not find expected '-' indicator": "syntax-expected-dash",
    "found character that cannot start any token": "syntax-bad-start",
    "found unexpected end of stream": "syntax-unexpected-end",
    "did not find expected ',' or ']'": "syntax-flow-sequence",
    "did not find expected ',' or '}'": "syntax-flow-mapping",
    "block sequence entries are not allowed": "syntax-block-entry",
    "found unknown escape character": "syntax-escape",
    "did not find expected node content": "syntax-node-content",
    "found undefined tag handle": "syntax-tag-handle",
    "did not find expected comment or line break": "syntax-trailing",
}


@dataclass(frozen=True)
class _Problem:
    """libyaml's problem: explained in Chinese; in English, libyaml's own words (precise, and
    what a search for the message finds)."""

    key: str
    problem: str

    def render(self, lang: str) -> str:
        return self.problem if lang == "en" else WORDS.say(self.key, lang, problem=self.problem)


def syntax_finding(exc: yaml.MarkedYAMLError) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = str(exc.problem or exc.context or "")
    key = next((key for start, key in _SYNTAX.items() if problem.startswith(start)), "syntax-other")
    words: object = _Problem(key, problem)
    context = exc.context_mark
    if context is not None and context.line + 1 != line:
        words = WORDS("syntax-in-block", problem=words, line=context.line + 1)
    return Finding("yaml-syntax", at=(line, column), params={"problem": words})


def reader_finding(exc: yaml.reader.ReaderError, text: str) -> Finding:
    # libyaml reports a byte offset into the UTF-8 text.
    before = text.encode("utf-8")[: exc.position].decode("utf-8", errors="replace")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    character = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    return Finding("yaml-control-character", at=(line, column), params={"code": f"U+{character:04X}"})
