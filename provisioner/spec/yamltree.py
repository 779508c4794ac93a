"""YAML text -> plain Python data plus the line and column of every key and value.

Built on libyaml's event stream (PyYAML's CParser) rather than on a loader, so
that nothing is constructed we did not ask for, and so that the usual YAML
surprises become findings with a position instead of silent changes:
duplicate keys, tabs, YAML 1.1 booleans and numbers (see scalars), explicit
tags, merge keys, aliases that expand without bound, nesting without bound,
several documents in one file. The composers are iterative: deep nesting cannot
overflow the Python stack, and stops at MAX_DEPTH anyway.

Two roads: most specs have nothing to report, and reading them is most of checking
many (read_plain: one lean loop keeping only each node's mark, the positions worked out
from them when asked); anything else is read again by the composer that records every
position and turns each surprise into a finding (read_yaml).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import yaml
from yaml import _yaml

from provisioner.spec.findings import Finding, Path
from provisioner.spec.scalars import MAY_NOT_BE_TEXT, resolve_plain
from provisioner.spec.yamlerrors import reader_finding, syntax_finding

MAX_DEPTH = 32          # a request nests 6 levels deep; 32 is only ever reached on purpose
MAX_NODES = 20_000      # values after expanding aliases; a large real request has ~1,000
_STANDARD_TAGS = frozenset({"tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "!"})
_EXPECT_KEY = object()


Position = tuple[int, int]      # (line, column), from 1


class Tree:
    """A document's data and where each key and value is written.

    The fast pass keeps only the start marks of its events, in document order, and where each
    collection's marks end; a position is worked out from them and the data when it is asked
    for (a spec with a finding asks for a few), all of them only when iterated (Tree._replay)."""

    def __init__(self, data: Any = None, marks: list[Position] | None = None, ends: dict[int, int] | None = None):
        self.data = data
        self._keys: dict[Path, Position] = {}      # where each key is written
        self._values: dict[Path, Position] = {}    # where each value starts
        self.reported: set[Path] = set()           # values a YAML finding already covers
        self._marks = marks
        self._ends = ends       # the index past each collection's last mark, by the index of its first

    @property
    def keys(self) -> Mapping[Path, Position]:
        return self._positions(of_key=True)

    @property
    def values(self) -> Mapping[Path, Position]:
        return self._positions(of_key=False)

    def has_positions(self) -> bool:
        """False for a fast-pass tree whose marks could not be kept (an alias): read it again to locate."""
        return self._marks is not None or bool(self._values)

    def _positions(self, of_key: bool) -> Mapping[Path, Position]:
        if self._ends is not None:
            return _Found(self, of_key)
        if self._marks is not None:     # the general composer's marks (a tag, an anchor) say no ends
            self._replay()
        return self._keys if of_key else self._values

    def _find(self, path: Path, of_key: bool) -> Position | None:
        """Where the key (of_key) or the value at `path` is written, as _replay records it."""
        if self._ends is None:      # replayed meanwhile
            return (self._keys if of_key else self._values).get(path)
        found = self._mark_of(path)
        if found is None or not self._marks:
            return None
        at, node, under_key = found
        if of_key:
            return self._marks[at - 1] if under_key else None   # a key's mark comes just before its value's
        if under_key and (type(node) is dict or type(node) is list):
            return None             # a block collection starts at its first child: under a key, the key says where
        return self._marks[at]

    def _mark_of(self, path: Path) -> tuple[int, Any, bool] | None:
        """The index of the mark of the node at `path`, the node, and whether a key holds it.

        Walks down the data, skipping the entries before each step: a scalar has one mark, a
        key and its value two, and a collection's end where its marks end."""
        ends = self._ends or {}
        at, node, under_key = 0, self.data, False   # the document's node has the first mark
        for step in path:
            at += 1                 # past the collection's own mark, to its first entry's
            if type(node) is dict:
                for key, value in node.items():
                    if key == step:
                        break
                    at = ends.get(at + 1, at + 2)
                else:
                    return None
                at, under_key = at + 1, True
            elif type(node) is list and isinstance(step, int) and 0 <= step < len(node):
                for value in node[:step]:
                    at = ends.get(at, at + 1)
                value, under_key = node[step], False
            else:
                return None
            node = value
        return at, node, under_key

    def _replay(self) -> None:
        """The positions the tracking composer records (see _Composer._key and _put), from the
        fast pass's marks: one per scalar and per collection start, in document order."""
        marks, self._marks, self._ends = self._marks, None, None
        if not marks:           # an empty document: nothing is written
            return
        at = iter(marks).__next__
        keys, values = self._keys, self._values

        def walk(path: Path, node: Any) -> None:
            if type(node) is dict:
                for key, value in node.items():
                    inner = path + (key,)
                    keys[inner] = at()
                    if type(value) is dict or type(value) is list:
                        at()            # a block collection under a key: the key says where
                        walk(inner, value)
                    else:
                        values[inner] = at()
            elif type(node) is list:
                for index, value in enumerate(node):
                    inner = path + (index,)
                    values[inner] = at()
                    walk(inner, value)

        values[()] = at()
        walk((), self.data)


class _Found(Mapping[Path, Position]):
    """A fast-pass tree's keys or values: each position worked out when asked for; all of them
    (iterated, compared) by replaying the marks."""

    def __init__(self, tree: Tree, of_key: bool) -> None:
        self._tree = tree
        self._of_key = of_key

    def get(self, path: Path, default: Any = None) -> Any:     # Mapping's would raise KeyError on a miss
        found = self._tree._find(path, self._of_key)
        return default if found is None else found

    def __getitem__(self, path: Path) -> Position:
        found = self._tree._find(path, self._of_key)
        if found is None:
            raise KeyError(path)
        return found

    def __iter__(self) -> Iterator[Path]:
        return iter(self._replayed())

    def __len__(self) -> int:
        return len(self._replayed())

    def _replayed(self) -> dict[Path, Position]:
        tree = self._tree
        if tree._marks is not None:
            tree._replay()
        return tree._keys if self._of_key else tree._values


class _Stop(Exception):
    """The document cannot be read further; the findings say why."""


class _Unusual(Exception):
    """Raised by the fast pass at anything worth a finding: read again, keeping positions."""


class _Rare(Exception):
    """Raised by _compose_common at a tag, an anchor or an alias: left to the general composer."""


class _Frame:
    __slots__ = ("container", "path", "key", "keep", "start_count", "anchor")

    def __init__(self, container: dict | list, path: Path, start_count: int, anchor: str | None):
        self.container = container
        self.path = path
        self.key: Any = _EXPECT_KEY if isinstance(container, dict) else None
        self.keep = True            # False while reading the value of a duplicate key
        self.start_count = start_count
        self.anchor = anchor


def read_yaml(text: str) -> tuple[Tree | None, list[Finding]]:
    """The document's data and positions, or None when it cannot be read; findings either way."""
    findings = tab_findings(text)
    composer = _Composer(findings, track=True)
    try:
        composer.run(_yaml.CParser(text))
    except yaml.MarkedYAMLError as exc:
        if not any(f.rule == "yaml-tab" and f.at is not None and f.at[0] == _line(exc) for f in findings):
            findings.append(syntax_finding(exc))  # unless a tab on that line says it better
        return None, findings
    except yaml.reader.ReaderError as exc:
        findings.append(reader_finding(exc, text))
        return None, findings
    except _Stop:
        return None, findings
    return composer.tree, findings


def read_plain(text: str) -> Tree | Any:
    """The fast pass: an unremarkable document's tree, positions worked out when asked for; or UNUSUAL.

    Most specs are fine; recording the position of every value costs more than
    parsing them, so only the events' marks are kept, and turned into positions
    once something needs reporting (Tree._replay).
    """
    if "\t" in text:
        return UNUSUAL
    try:
        return Tree(*_compose_common(_yaml.CParser(text)))
    except _Rare:
        return _read_rare(text)
    except (yaml.YAMLError, _Unusual):
        return UNUSUAL


def _read_rare(text: str) -> Tree | Any:
    """read_plain of a document with a tag, an anchor or an alias: the general composer checks
    tags and counts what aliases repeat."""
    composer = _Composer([], track=False)
    try:
        composer.run(_yaml.CParser(text))
    except (yaml.YAMLError, _Stop, _Unusual):
        return UNUSUAL
    tree = composer.tree
    if composer.marks is not None:      # an alias repeats a value its marks do not: read again if asked
        tree._marks = composer.marks
    return tree


UNUSUAL = object()


def tab_findings(text: str) -> list[Finding]:
    """One finding per line holding a tab: YAML forbids them in indentation and they hide in values."""
    if "\t" not in text:
        return []
    return [Finding("yaml-tab", at=(number, line.index("\t") + 1), params={"line": number})
            for number, line in enumerate(text.split("\n"), start=1) if "\t" in line]


_SCALAR, _ALIAS, _DOCUMENT_START = yaml.ScalarEvent, yaml.AliasEvent, yaml.DocumentStartEvent
_MAPPING_START, _MAPPING_END = yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQUENCE_START, _SEQUENCE_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_IN_SEQUENCE = object()     # the `key` of an open sequence: its values are appended
_AT_ROOT = object()         # the `key` before the document's own node


def _compose_common(parser: _yaml.CParser) -> tuple[Any, list[Position], dict[int, int]]:
    """The data of a document as most specs are, the (line, column) of each node in order, and
    where each collection's marks end (Tree._mark_of skips over them).

    The same data and marks as _Composer(track=False), in a fraction of its time: reading a
    thousand specs is mostly this loop, so it keeps the open container and the key awaiting its
    value in local variables, tells events apart by class (the most frequent first) and makes no
    call per event but to PyYAML. Anything else leaves the loop: a tag, an anchor or an alias
    (_Rare) for the general composer; whatever is worth a finding (_Unusual) for the tracking read.
    """
    marks: list[Position] = []
    mark = marks.append
    ends: dict[int, int] = {}       # the index past each collection's last mark, by the index of its first
    # The open containers around the current one, with their keys, and where the current one's marks start.
    enclosing: list[tuple[Any, Any, int]] = []
    push, pop = enclosing.append, enclosing.pop
    container: Any = None
    key: Any = _AT_ROOT
    data: Any = None
    documents = 0
    for event in iter(parser.get_event, None):
        kind = type(event)
        if kind is _SCALAR:
            if event.tag is not None or event.anchor is not None:
                raise _Rare
            start = event.start_mark
            mark((start.line + 1, start.column + 1))
            value = event.value
            if key is _EXPECT_KEY:
                if value in container or (value == "<<" and not event.style):   # a duplicate or merge key
                    raise _Unusual
                key = value
                continue
            if not event.style and value[:1] in MAY_NOT_BE_TEXT:
                value, trap = resolve_plain(value)
                if trap is not None:
                    raise _Unusual
        elif kind is _MAPPING_END or kind is _SEQUENCE_END:
            container, key, opened_at = pop()
            ends[opened_at] = len(marks)
            continue
        elif kind is _MAPPING_START or kind is _SEQUENCE_START:
            if event.tag is not None or event.anchor is not None:
                raise _Rare
            if key is _EXPECT_KEY or len(enclosing) >= MAX_DEPTH:     # a collection as key; too deep
                raise _Unusual
            opened_at = len(marks)
            start = event.start_mark
            mark((start.line + 1, start.column + 1))
            value = {} if kind is _MAPPING_START else []
        elif kind is _ALIAS:
            raise _Rare
        else:
            if kind is _DOCUMENT_START:
                documents += 1
                if documents > 1:
                    raise _Unusual
            continue
        # The value in its place: the next item of a sequence, a key's value, or the document's node.
        if key is _IN_SEQUENCE:
            container.append(value)
        elif key is _AT_ROOT:
            data = value
        else:
            container[key] = value
            key = _EXPECT_KEY
        if kind is not _SCALAR:     # a collection opened: what follows is in it, until its end
            push((container, key, opened_at))
            container, key = value, (_EXPECT_KEY if kind is _MAPPING_START else _IN_SEQUENCE)
    if len(marks) > MAX_NODES:      # counted once at the end: without aliases, the text's size bounds them
        raise _Unusual
    return data, marks, ends


class _Composer:
    def __init__(self, findings: list[Finding], track: bool):
        self.findings = findings
        self.track = track
        self.tree = Tree()
        self.stack: list[_Frame] = []
        self.top: _Frame | None = None
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.count = 0
        self.documents = 0
        # read_plain's marks of a document with a tag or an anchor (Tree._replay): (line, column) of
        # each, not the Mark objects: thousands of specs' objects kept alive would slow down every
        # garbage collection.
        self.marks: list[Position] | None = None if track else []

    def run(self, parser: _yaml.CParser) -> None:
        scalar, mapping, sequence = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
        ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        for event in iter(parser.get_event, None):
            kind = type(event)
            if kind is scalar:
                self._scalar(event)
            elif kind is mapping:
                self._open(event, {})
            elif kind in ends:
                self._close()
            elif kind is sequence:
                self._open(event, [])
            elif kind is yaml.AliasEvent:
                self._alias(event)
            elif kind is yaml.DocumentStartEvent:
                self._document(event)

    def _stop(self, rule: str, event: Any, **params: Any) -> None:
        if not self.track:
            raise _Unusual
        self.findings.append(Finding(rule, at=_mark(event), params=params))
        raise _Stop

    def _report(self, finding: Finding) -> None:
        if not self.track:
            raise _Unusual
        self.findings.append(finding)
        self.tree.reported.add(finding.path)

    def _document(self, event: yaml.DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            self._stop("yaml-multiple-documents", event)

    def _count(self, event: Any, size: int = 1) -> None:
        self.count += size
        if self.count > MAX_NODES:
            self._stop("yaml-too-many-nodes", event, limit=MAX_NODES)

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        # The hot path: most of a spec is scalars, so the common cases are inline here.
        self.count += 1
        if self.count > MAX_NODES:
            self._stop("yaml-too-many-nodes", event, limit=MAX_NODES)
        frame = self.top
        value = event.value
        if self.marks is not None:
            mark = event.start_mark
            self.marks.append((mark.line + 1, mark.column + 1))
        if frame is not None and frame.key is _EXPECT_KEY:
            self._key(frame, value, event, plain=not event.style)
        else:
            if event.tag is not None or not event.style:
                value = self._value(frame, event)
            if frame is not None and frame.key is None and not self.track:
                frame.container.append(value)
            else:
                self._put(frame, value, event)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)

    def _value(self, frame: _Frame | None, event: yaml.ScalarEvent) -> Any:
        """A plain scalar resolved (YAML 1.2, traps reported), or a tagged one checked."""
        tag = event.tag
        if tag is not None:
            if tag not in _STANDARD_TAGS:
                self._report(Finding("yaml-tag", self._path(frame), {"tag": tag}, at=_mark(event)))
            return event.value
        value, trap = resolve_plain(event.value)
        if trap is not None:
            self._report(Finding(trap[0], self._path(frame), trap[1], at=_mark(event)))
        return value

    def _key(self, frame: _Frame, key: str, event: Any, plain: bool) -> None:
        frame.key = key  # `keep` is already True: _put resets it after every value
        if key in frame.container or (key == "<<" and plain):
            self._odd_key(frame, key, event, plain)
        if self.track and frame.keep:
            self.tree.keys[frame.path + (key,)] = _mark(event)

    def _odd_key(self, frame: _Frame, key: str, event: Any, plain: bool) -> None:
        path = frame.path + (key,)
        if plain and key == "<<":
            self._report(Finding("yaml-merge-key", path, at=_mark(event)))
            return
        if not self.track:
            raise _Unusual
        first = self.tree.keys[path][0]
        self.findings.append(Finding("yaml-duplicate-key", path, {"key": key, "first_line": first}, at=_mark(event)))
        frame.keep = False

    def _path(self, frame: _Frame | None) -> Path:
        """Where the next value of `frame` goes, as a path of keys and indexes."""
        if frame is None:
            return ()
        if frame.key is None:  # a sequence: the next index
            return frame.path + (len(frame.container),)
        if not frame.keep:     # the value of a duplicate key: positions of its own, never read
            return frame.path + (f"\0duplicate:{self.count}",)
        return frame.path + (frame.key,)

    def _put(self, frame: _Frame | None, value: Any, event: Any) -> None:
        if self.track:
            # A block collection starts at its first child: under a key, the key says more.
            if frame is None or frame.key is None or not isinstance(value, (dict, list)):
                self.tree.values[self._path(frame)] = _mark(event)
        if frame is None:
            self.tree.data = value
        elif frame.key is None:
            frame.container.append(value)
        else:
            if frame.keep:
                frame.container[frame.key] = value
            frame.key, frame.keep = _EXPECT_KEY, True

    def _open(self, event: Any, container: dict | list) -> None:
        self._count(event)
        if self.marks is not None:
            mark = event.start_mark
            self.marks.append((mark.line + 1, mark.column + 1))
        frame = self.top
        if frame is not None and frame.key is _EXPECT_KEY:
            self._stop("yaml-key-not-text", event)
        if len(self.stack) >= MAX_DEPTH:
            self._stop("yaml-too-deep", event, limit=MAX_DEPTH)
        path = self._path(frame) if self.track else ()
        if event.tag is not None and event.tag not in _STANDARD_TAGS:
            self._report(Finding("yaml-tag", path, {"tag": event.tag}, at=_mark(event)))
        self._put(frame, container, event)
        self.top = _Frame(container, path, self.count, event.anchor)
        self.stack.append(self.top)

    def _close(self) -> None:
        frame = self.stack.pop()
        self.top = self.stack[-1] if self.stack else None
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.container, self.count - frame.start_count + 1)

    def _alias(self, event: yaml.AliasEvent) -> None:
        self.marks = None
        if any(open_frame.anchor == event.anchor for open_frame in self.stack):
            self._stop("yaml-alias-recursive", event, anchor=event.anchor)
        if event.anchor not in self.anchors:
            self._stop("yaml-alias-undefined", event, anchor=event.anchor)
        value, size = self.anchors[event.anchor]
        self._count(event, size)
        frame = self.top
        if frame is not None and frame.key is _EXPECT_KEY:
            if not isinstance(value, str):
                self._stop("yaml-key-not-text", event)
            self._key(frame, value, event, plain=False)
            return
        self._put(frame, value, event)


def _mark(event: Any) -> Position:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1)


def _line(exc: yaml.MarkedYAMLError) -> int:
    mark = exc.problem_mark or exc.context_mark
    return mark.line + 1 if mark else 1
