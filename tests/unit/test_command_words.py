"""What a command prints is said in the reader's language: no English sentence written inline in a
print (issue 15, item 5). Chinese written inline is tests/unit/test_words.py's business; this one
catches the English-only lines (`print(f"{path}: written")`) that test cannot see.

The rule, on provisioner/commands/*.py and provisioner/cli.py: in the first argument of a
`print(...)` or a `.write(...)`, every piece of text written there (a literal, the literal parts
of an f-string, the branches of `a if c else b`, the sides of `+` and `or`) holds no word of two
or more Latin letters, once the program's own name as a label is taken off the front
("govcloud: ", "govcloud validate: "). Text that comes from a call (`WORDS.say(...)`, another
package's table, a finding's `text(lang)`) is not written there and is not looked at; nor are
values (a path, a count, an id). ALLOWED lists the literals that are data formats, not words.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "provisioner"
MODULES = sorted(p for p in (PACKAGE / "commands").glob("*.py") if p.name != "messages.py") + [PACKAGE / "cli.py"]
# The program's name as a label: "govcloud: ", "govcloud policy docs: ", "govcloud " (before a command's name).
PROGRAM = re.compile(r"^govcloud(?: [a-z][a-z-]*)*(?::\s*|\s+|$)")
WORD = re.compile(r"[A-Za-z]{2,}")

# (module, literal): data formats read by programs, in no language.
ALLOWED = {
    ("commands/env.py", "unset "),      # shell syntax: `eval "$(govcloud env)"`
    ("commands/env.py", "export "),
    ("commands/stacks.py", "failed"),   # the operation column of the outcome lines, beside Pulumi's
                                        # operation names (update, destroy...): a status, as in merge_apply's
}


def _written(node: ast.expr) -> Iterator[str]:
    """The pieces of text a printed expression writes itself."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        for part in node.values:
            yield from _written(part.value if isinstance(part, ast.FormattedValue) else part)
    elif isinstance(node, ast.IfExp):
        yield from _written(node.body)
        yield from _written(node.orelse)
    elif isinstance(node, ast.BinOp):
        yield from _written(node.left)
        yield from _written(node.right)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _written(value)


def _printed(tree: ast.AST) -> Iterator[tuple[int, ast.expr]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and (
                (isinstance(node.func, ast.Name) and node.func.id == "print")
                or (isinstance(node.func, ast.Attribute) and node.func.attr == "write")):
            yield node.lineno, node.args[0]


def english_written_inline(source: str, module: str = "") -> list[tuple[int, str]]:
    """(line, literal) of every piece of English a print of `source` writes itself."""
    found = []
    for line, printed in _printed(ast.parse(source)):
        for text in _written(printed):
            if (module, text) not in ALLOWED and WORD.search(PROGRAM.sub("", text, count=1)):
                found.append((line, text))
    return found


def test_the_rule_sees_an_english_line_and_lets_words_from_a_table_through() -> None:
    assert english_written_inline('print(f"{path}: written")') == [(1, ": written")]
    assert english_written_inline('print("nothing" if done else f"{n} done")') == [(1, "nothing"), (1, " done")]
    assert english_written_inline('sys.stderr.write("govcloud: stopped\\n")') == [(1, "govcloud: stopped\n")]
    assert english_written_inline('print(f"govcloud validate: {WORDS.say(\'no-such-path\', lang, path=p)}")') == []
    assert english_written_inline('print(f"#{seq} {at.isoformat()} {actor}", file=sys.stderr)') == []
    assert english_written_inline('print(f"unset {names}")', "commands/env.py") == []


def test_no_command_prints_an_english_sentence_written_inline() -> None:
    found = {}
    for path in MODULES:
        module = path.relative_to(PACKAGE).as_posix()
        if lines := english_written_inline(path.read_text(encoding="utf-8"), module):
            found[module] = lines
    assert not found, ("English written inline in what a command prints (give it both languages in "
                       f"provisioner/commands/messages.py and say it in args.lang): {found}")
