"""Ways to break a request spec, for the robustness tests: text slips and structural edits.

Each mutation takes the text and a random.Random and returns new text. They
mimic what people and tools do to YAML: lost or doubled lines, wrong indents,
stray characters, values of the wrong type, unknown or misspelt keys, YAML 1.1
words, aliases, tags, truncation, encodings gone wrong.
"""

from __future__ import annotations

import random
from typing import Any

import yaml

STRAY = [":", "-", "[", "]", "{", "}", '"', "'", "&a", "*a", "!!str", "#", "%", "@", "`", "\t", "\x00",
         "\x07", "\ufeff", "é", "中", "\\", "|", ">", "? ", ",", "\u3000", "\r", "\n", "  "]
WORDS = ["yes", "no", "on", "off", "Y", "~", "null", "0755", "010", "0x1F", "1_000", "1:30", ".inf",
         ".nan", "-1", "0", "99999999999999999999", "1e400", "''", '""', "[]", "{}", "[1, [2]]",
         "{a: 1}", "2026-02-30", "true", "*nowhere", "&x 5", "!!binary aGk=", "<<", "| \n  text", "中文"]
VALUES: list[Any] = [None, True, False, 0, -5, 1, 2, 3, 15, 65536, 2**70, 1.5, float("nan"), "", "x",
                     "0.0.0.0/0", "10.0.0.1/8", "jj-xzspj", "A" * 300, "2026-01-01", [], [1, "a"], {}, {"k": None}]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def delete_line(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    del lines[rng.randrange(len(lines))]
    return "\n".join(lines)


def duplicate_line(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    index = rng.randrange(len(lines))
    lines.insert(index, lines[index])
    return "\n".join(lines)


def swap_lines(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]
    return "\n".join(lines)


def reindent(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    index = rng.randrange(len(lines))
    shift = rng.choice([-2, -1, 1, 2, 4])
    lines[index] = " " * shift + lines[index] if shift > 0 else lines[index][-shift:]
    return "\n".join(lines)


def insert_stray(text: str, rng: random.Random) -> str:
    at = rng.randrange(len(text) + 1)
    return text[:at] + rng.choice(STRAY) + text[at:]


def delete_chars(text: str, rng: random.Random) -> str:
    at = rng.randrange(max(len(text), 1))
    return text[:at] + text[at + rng.randint(1, 8):]


def replace_value(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    candidates = [i for i, line in enumerate(lines) if ": " in line and not line.lstrip().startswith("#")]
    if not candidates:
        return insert_stray(text, rng)
    index = rng.choice(candidates)
    head = lines[index].split(": ", 1)[0]
    lines[index] = f"{head}: {rng.choice(WORDS)}"
    return "\n".join(lines)


def truncate(text: str, rng: random.Random) -> str:
    return text[: rng.randrange(max(len(text), 1))]


def extra_document(text: str, rng: random.Random) -> str:
    return text + rng.choice(["---\n", "---\na: 1\n", "...\n", "--- |\n  x\n"])


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, prefix + (index,))
    return found


def _structural(text: str, rng: random.Random, edit) -> str:
    try:
        data = yaml.load(text, Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, ValueError):  # PyYAML itself fails on dates like 2026-02-30
        return insert_stray(text, rng)
    paths = [p for p in _paths(data) if p]
    if not isinstance(data, (dict, list)) or not paths:
        return insert_stray(text, rng)
    path = rng.choice(paths)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    edit(parent, path[-1], rng)
    return yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=rng.random() < 0.3,
                     default_flow_style=rng.random() < 0.2)


def _set_value(parent: Any, key: Any, rng: random.Random) -> None:
    parent[key] = rng.choice(VALUES)


def _drop_key(parent: Any, key: Any, rng: random.Random) -> None:
    del parent[key]


def _misspell_key(parent: Any, key: Any, rng: random.Random) -> None:
    if isinstance(parent, dict) and isinstance(key, str) and key:
        at = rng.randrange(len(key))
        parent[key[:at] + key[at + 1:] + rng.choice("xe_")] = parent.pop(key)
    else:
        parent.append(rng.choice(VALUES))


def set_value(text: str, rng: random.Random) -> str:
    return _structural(text, rng, _set_value)


def drop_key(text: str, rng: random.Random) -> str:
    return _structural(text, rng, _drop_key)


def misspell_key(text: str, rng: random.Random) -> str:
    return _structural(text, rng, _misspell_key)


MUTATIONS = [delete_line, duplicate_line, swap_lines, reindent, insert_stray, delete_chars,
             replace_value, truncate, extra_document, set_value, drop_key, misspell_key]


def mutate(text: str, rng: random.Random, times: int = 1) -> str:
    for _ in range(times):
        if not text:
            text = rng.choice(WORDS)
        text = rng.choice(MUTATIONS)(text, rng)
    return text
