"""The audit log held against its anchor outside the database (art26), pure.

The chain alone cannot tell a log whose end (or start, or whole) was deleted, with the
head row reset to match, from a log that simply is that long: the database holds both
the records and the head. Each export to object storage therefore carries the head it
reached (`last-seq`, `last-hash` on the exported object); the newest export is the
anchor. Against it:
  - the database must reach the anchor (else records were deleted at the end);
  - its record at the anchor's number must be the exported one (else the log was
    rewritten from there or before, and the chain re-hashed to hide it);
  - records gone from its start (the prune point) must have been exported, be the
    exported ones, and be at least one calendar year old.
What was written after the newest export is anchored by the next one: export often.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from provisioner.audit.chain import AuditRecord, Finding, span
from provisioner.audit.messages import WORDS
from provisioner.calendar import log_deletable_from


@dataclass(frozen=True)
class Anchor:
    seq: int             # the last record the export holds
    hash: str
    location: str        # s3://bucket/key of that export


@dataclass(frozen=True)
class Kept:
    """What the database says of itself: its head, where pruning moved its start, and
    the hash it holds at the anchor's number (None: no such record)."""

    head_seq: int
    pruned_seq: int
    pruned_hash: str
    hash_at_anchor: str | None


def check(kept: Kept, anchor: Anchor, pruned_copy: AuditRecord | None, now: datetime) -> list[Finding]:
    """Findings of the database against the newest export; `pruned_copy` is the exported
    record at the database's prune point (None when there is no prune point or no copy)."""
    found = []
    if kept.head_seq < anchor.seq:
        found.append(Finding("truncated", kept.head_seq + 1,
                             WORDS("anchor-truncated", head=kept.head_seq, location=anchor.location, anchor=anchor.seq,
                                   records=span(kept.head_seq + 1, anchor.seq))))
    elif anchor.seq > kept.pruned_seq and kept.hash_at_anchor is not None and kept.hash_at_anchor != anchor.hash:
        found.append(Finding("rewritten", anchor.seq,
                             WORDS("anchor-rewritten", seq=anchor.seq, location=anchor.location)))
    if kept.pruned_seq:
        found.extend(_pruned(kept, anchor, pruned_copy, now))
    return found


def _pruned(kept: Kept, anchor: Anchor, copy: AuditRecord | None, now: datetime) -> list[Finding]:
    seq = kept.pruned_seq
    if seq > anchor.seq:
        return [Finding("unexported", seq,
                        WORDS("pruned-unexported", seq=seq, anchor=anchor.seq, first=anchor.seq + 1))]
    if copy is None or copy.hash != kept.pruned_hash:
        return [Finding("rewritten", seq, WORDS("start-rewritten", seq=seq))]
    keep_until = log_deletable_from(copy.at)
    if now < keep_until:
        return [Finding("pruned-early", seq,
                        WORDS("pruned-early", seq=seq, at=copy.at.isoformat(), until=keep_until.isoformat()))]
    return []
