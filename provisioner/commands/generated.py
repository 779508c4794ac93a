"""Files govcloud generates from the office's policies (CODEOWNERS, the Alertmanager configuration):
write them, or with --check only say whether the file on disk is current (exit 1 if not)."""

from __future__ import annotations

import sys
from pathlib import Path

from provisioner.commands.messages import WORDS
from provisioner.words import Text


def write_or_check(path: Path, shown: str, text: str, *, check: bool, command: str, fix: Text, lang: str) -> int:
    """`fix`: what to do about a file that is not current (said after "is not current")."""
    current = path.read_text(encoding="utf-8") if path.exists() else None
    if check:
        if current != text:
            print(WORDS.say("generated-stale", lang, command=command, file=shown, fix=fix), file=sys.stderr)
            return 1
        print(WORDS.say("generated-current", lang, file=shown))
        return 0
    if current == text:
        print(WORDS.say("generated-unchanged", lang, file=shown))
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(WORDS.say("generated-written", lang, file=shown))
    return 0
