"""The words govcloud says to people: tables of sentences, each in Chinese and English.

Every package that talks to users keeps its sentences in its own `messages.py`, as one
`Words` table: a stable id for each sentence, then its Chinese and its English, both
`str.format` templates with the same {placeholders}. Code never writes a user-facing
sentence inline; it names one by id:

    from provisioner.stacks.messages import WORDS
    raise ConfigError(WORDS("unlock-scheme", scheme=url.scheme))   # said later, in the reader's language
    print(WORDS.say("unlock-done", lang, stack=name))                # said now

`WORDS(id, ...)` makes a `Text`: the sentence chosen, its values filled in, the language not
yet. Errors carry Texts, so the CLI's error boundary says them in the language of
`--lang` however deep they were raised. tests/unit/test_words.py holds every table to
both languages and the same placeholders, and every module to no inline Chinese.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"      # the users are Jiujiang's civil servants; English is asked for with --lang en


@dataclass(frozen=True)
class SaidOnce:
    """Words said in a language once and then as said: a Text made once (a measure's name) or a
    Names (a department's other requests) is said in each of many findings. What they are made
    of is not to change after they are made."""

    _said: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def render(self, lang: str = DEFAULT_LANG) -> str:
        if lang not in self._said:
            self._said[lang] = self.say_in(lang)
        return self._said[lang]

    def say_in(self, lang: str) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Text(SaidOnce):
    """One sentence of a table with its values: put into a language only when said."""

    words: Words = field(repr=False, compare=False)
    key: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def say_in(self, lang: str) -> str:
        template = self.words.template(self.key, lang)
        return template.format(**{name: say(value, lang) for name, value in self.values.items()})

    def __str__(self) -> str:
        return self.render(DEFAULT_LANG)


# Values that read the same in every language: most of what fills a template (names, counts,
# paths), so `say` hands them back before looking for a render method.
_PLAIN = frozenset({str, int, float})


def listing(items: Iterable[Any], lang: str) -> str:
    """Items named one after another in a sentence: "、" between them in Chinese, ", " in English."""
    return ("、" if lang == "zh" else ", ").join(str(item) for item in items)


def say(value: Any, lang: str) -> Any:
    """A value as it reads in `lang`: a Text (or anything with render(lang)) is said in it,
    a list of them is joined; any other value is left to str.format."""
    if type(value) in _PLAIN:
        return value
    render = getattr(value, "render", None)
    if callable(render):
        return render(lang)
    if isinstance(value, list | tuple) and value and all(callable(getattr(v, "render", None)) for v in value):
        return ("；" if lang == "zh" else "; ").join(v.render(lang) for v in value)
    return value


class InBothLanguages:
    """For a thing said by `text(lang)`: its Chinese and its English as `.zh` and `.en`, what
    findings carry into JSON summaries and what tests read."""

    def text(self, lang: str = DEFAULT_LANG) -> str:
        raise NotImplementedError

    @property
    def zh(self) -> str:
        return self.text("zh")

    @property
    def en(self) -> str:
        return self.text("en")


class Words:
    """One package's sentences: id -> (Chinese, English)."""

    def __init__(self, table: Mapping[str, tuple[str, str]]):
        self.table = dict(table)

    def __call__(self, key: str, **values: Any) -> Text:
        if key not in self.table:
            raise KeyError(f"no sentence {key!r} in this table")     # a bug: the id is checked by tests
        return Text(self, key, values)

    def say(self, key: str, lang: str = DEFAULT_LANG, **values: Any) -> str:
        return self(key, **values).say_in(lang)     # said once: nothing to keep

    def template(self, key: str, lang: str) -> str:
        zh, en = self.table[key]
        return en if lang == "en" else zh

    def __contains__(self, key: str) -> bool:
        return key in self.table

    def __iter__(self):
        return iter(self.table)


def placeholders(template: str) -> set[str]:
    """The {names} a template fills in (what both languages of a sentence must agree on)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}
