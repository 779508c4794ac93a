"""The exporter's ledger keeps a small SQLite page cache (provisioner/metering/exporter.py: LEDGER_PAGE_CACHE_KIB);
every other command keeps SQLite's default."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from provisioner.ledger import Ledger
from provisioner.metering.exporter import LEDGER_PAGE_CACHE_KIB


def _cache_size(ledger: Ledger) -> int:
    with ledger.transaction() as conn:
        return conn.execute(text("PRAGMA cache_size")).scalar_one()


def test_the_page_cache_is_what_the_ledger_was_opened_with(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    default = Ledger.open(url)
    small = Ledger.open(url, page_cache_kib=LEDGER_PAGE_CACHE_KIB)
    try:
        assert _cache_size(default) == -2000                    # SQLite's own: 2,000 KiB
        assert _cache_size(small) == -LEDGER_PAGE_CACHE_KIB     # negative: KiB
    finally:
        default.close()
        small.close()
