"""The audit log's hash chain (art26), pure: hashing a record and verifying a sequence.

Each record holds the SHA-256 of its predecessor (`prev_hash`) and its own `hash`
over a canonical JSON of (seq, at, actor, action, subject, detail, prev_hash). So:
  - a changed record no longer matches its own hash;
  - a dropped record leaves a gap in `seq` (and a broken link);
  - a reordered record stands before a smaller `seq`, or (when rows were swapped in a
    table) holds the content of another sequence number;
  - records dropped from the end are found against the chain head kept apart.
An attacker who rewrites a record *and* every later hash is not caught by the chain
alone: that is what the exported copies in object storage are for.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

from provisioner.audit.messages import WORDS
from provisioner.words import DEFAULT_LANG, InBothLanguages, Text

GENESIS_HASH = "0" * 64
_REORDER_WINDOW = 1000


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    at: datetime
    actor: str
    action: str
    subject: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "at": _iso(self.at), "actor": self.actor, "action": self.action,
                "subject": self.subject, "detail": self.detail, "prev_hash": self.prev_hash, "hash": self.hash}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AuditRecord:
        return cls(int(data["seq"]), datetime.fromisoformat(data["at"]), data["actor"], data["action"],
                   data["subject"], data["detail"], data["prev_hash"], data["hash"])


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def normalize_detail(detail: dict[str, Any]) -> dict[str, Any]:
    """The detail as JSON will give it back (tuples become lists, dates strings, keys strings)."""
    return json.loads(json.dumps(detail, ensure_ascii=False, default=str))


def compute_hash(record: AuditRecord) -> str:
    body = {k: v for k, v in record.to_json().items() if k != "hash"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def seal(seq: int, at: datetime, actor: str, action: str, subject: str, detail: dict[str, Any],
         prev_hash: str) -> AuditRecord:
    record = AuditRecord(seq, at, actor, action, subject, normalize_detail(detail), prev_hash)
    return replace(record, hash=compute_hash(record))


@dataclass(frozen=True)
class Finding(InBothLanguages):
    kind: str            # changed | dropped | reordered | broken | truncated | corrupt (| see anchor.py)
    seq: int             # the first sequence number concerned
    words: Text          # what is wrong, a sentence of audit/messages.py

    def text(self, lang: str = DEFAULT_LANG) -> str:
        return self.words.render(lang)


def span(first: int, last: int) -> str:
    """A run of sequence numbers as the findings name it: #5, or #5..#9."""
    return f"#{first}" if first == last else f"#{first}..#{last}"


def verify(records: Sequence[AuditRecord], start_seq: int = 0, start_hash: str = GENESIS_HASH,
           head: tuple[int, str] | None = None, corrupt: Mapping[int, str] | None = None) -> list[Finding]:
    """Every problem in `records` (in the order stored), which continue a chain at (start_seq, start_hash).

    `head` is the (seq, hash) the log says it ends at; without it, loss at the very end
    cannot be told from a log that simply ends there. `corrupt` maps the sequence numbers
    of records that could not even be read to what was unreadable: each is a finding, and
    the link after it cannot be judged.
    """
    findings = _order(records)
    entries: list[tuple[int, AuditRecord | None]] = sorted(
        [(r.seq, r) for r in records] + [(seq, None) for seq in (corrupt or {})], key=lambda entry: entry[0])
    prev_seq, prev_hash, prev_intact = start_seq, start_hash, True
    for seq, record in entries:
        if seq == prev_seq:
            findings.append(Finding("reordered", seq, WORDS("twice", seq=seq)))
            continue
        if seq > prev_seq + 1:
            findings.append(Finding("dropped", prev_seq + 1, WORDS("dropped", records=span(prev_seq + 1, seq - 1))))
        if record is None:
            what = (corrupt or {})[seq]
            findings.append(Finding("corrupt", seq, WORDS("corrupt", seq=seq, what=what)))
            prev_seq, prev_hash, prev_intact = seq, "", False
            continue
        intact = compute_hash(record) == record.hash
        if not intact:
            findings.append(_changed_or_moved(record))
        elif seq == prev_seq + 1 and prev_intact and record.prev_hash != prev_hash:
            findings.append(Finding("broken", seq, WORDS("broken-link", seq=seq, previous=prev_seq)))
        # After a record already reported, its stored hash proves nothing about the next link.
        prev_seq, prev_hash, prev_intact = seq, record.hash, intact
    if head is not None:
        findings.extend(_tail(prev_seq, prev_hash if prev_intact else None, head))
    return findings


def _order(records: Sequence[AuditRecord]) -> list[Finding]:
    found = []
    for position in range(1, len(records)):
        before, record = records[position - 1], records[position]
        if record.seq < before.seq:
            found.append(Finding("reordered", record.seq,
                                 WORDS("reordered-after", seq=record.seq, before=before.seq, position=position + 1)))
    return found


def _changed_or_moved(record: AuditRecord) -> Finding:
    for other in range(max(1, record.seq - _REORDER_WINDOW), record.seq + _REORDER_WINDOW):
        if other != record.seq and compute_hash(replace(record, seq=other)) == record.hash:
            return Finding("reordered", record.seq, WORDS("reordered-content", seq=record.seq, other=other))
    return Finding("changed", record.seq, WORDS("changed", seq=record.seq))


def _tail(last_seq: int, last_hash: str | None, head: tuple[int, str]) -> list[Finding]:
    head_seq, head_hash = head
    if head_seq > last_seq:
        return [Finding("truncated", last_seq + 1, WORDS("end-dropped", records=span(last_seq + 1, head_seq)))]
    if head_seq == last_seq and last_hash is not None and head_hash != last_hash:
        return [Finding("changed", last_seq, WORDS("head-differs", seq=last_seq))]
    if head_seq < last_seq:
        return [Finding("broken", head_seq + 1, WORDS("beyond-head", seq=head_seq + 1))]
    return []
