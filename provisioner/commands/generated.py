"""Files govcloud generates from the office's policies (CODEOWNERS, the Alertmanager configuration):
write them, or with --check only say whether the file on disk is current (exit 1 if not)."""

from __future__ import annotations

import sys
from pathlib import Path


def write_or_check(path: Path, shown: str, text: str, *, check: bool, command: str, fix_zh: str, fix_en: str) -> int:
    current = path.read_text(encoding="utf-8") if path.exists() else None
    if check:
        if current != text:
            print(f"govcloud {command}: {shown} 不是最新的，{fix_zh} / {shown} is not current: {fix_en}", file=sys.stderr)
            return 1
        print(f"{shown}: current")
        return 0
    if current == text:
        print(f"{shown}: unchanged")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"{shown}: written")
    return 0
