"""Every message table (a package's messages.py) has each message id in Chinese and English,
with the same placeholders in both, so `--lang en` never falls back to Chinese or misses a value."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest

import provisioner
from provisioner.words import Words, placeholders

PACKAGE = Path(provisioner.__file__).parent
CHINESE = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
MODULES = sorted(".".join(("provisioner", *p.relative_to(PACKAGE).with_suffix("").parts))
                 for p in PACKAGE.rglob("messages.py"))


def _pair(value: Any) -> tuple[str, str] | None:
    """(zh, en) of a table entry: a pair of texts, or anything with .zh and .en."""
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return value
    if isinstance(getattr(value, "zh", None), str) and isinstance(getattr(value, "en", None), str):
        return value.zh, value.en
    return None


def tables(module_name: str) -> dict[str, dict[str, tuple[str, str]]]:
    module = importlib.import_module(module_name)
    found = {}
    for name, value in vars(module).items():
        if isinstance(value, Words):
            found[name] = dict(value.table)
        elif isinstance(value, dict) and value and all(_pair(v) is not None for v in value.values()):
            found[name] = {str(key): _pair(v) for key, v in value.items()}
    return found


def test_the_packages_that_speak_keep_their_words_in_tables() -> None:
    assert {"provisioner.spec.messages", "provisioner.lifecycle.messages", "provisioner.policy.messages",
            "provisioner.billing.messages"} <= set(MODULES)
    assert all(tables(name) for name in MODULES), "a messages.py without a table"


@pytest.mark.parametrize("module_name", MODULES)
def test_every_message_id_has_both_languages_and_the_same_placeholders(module_name: str) -> None:
    bad = []
    for table, entries in tables(module_name).items():
        for key, (zh, en) in entries.items():
            if not zh.strip() or not en.strip():
                bad.append(f"{table}[{key}]: a language is empty")
            elif CHINESE.search(en):
                bad.append(f"{table}[{key}]: the English has Chinese in it: {en!r}")
            elif placeholders(zh) != placeholders(en):
                bad.append(f"{table}[{key}]: placeholders differ: "
                           f"{sorted(placeholders(zh))} vs {sorted(placeholders(en))}")
    assert bad == []


def test_a_message_missing_a_language_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    from provisioner.policy import messages
    monkeypatch.setitem(messages.WORDS.table, "broken", ("只有中文 {x}", ""))
    with pytest.raises(AssertionError):
        test_every_message_id_has_both_languages_and_the_same_placeholders("provisioner.policy.messages")
    monkeypatch.setitem(messages.WORDS.table, "broken", ("中文 {x}", "English with 中文 {x}"))
    with pytest.raises(AssertionError):
        test_every_message_id_has_both_languages_and_the_same_placeholders("provisioner.policy.messages")
