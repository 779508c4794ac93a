"""Each generation's spec (systems.spec) in today's request format: load balancers are a list of
typed ones (name, members, listeners), where specs stored before 224de30 held a number of them.

Nothing was ever built for such a number (metering sized them as none too), so the number
becomes an empty list: the stored spec then reads under today's model again, and a spec file
that asks for no load balancer is not reported as edited since it was recorded. A spec file
that asks for typed ones is, rightly: its trial does not hold them yet (`govcloud apply`).

requests.spec is left as it was submitted: it is the request's record, hashed in spec_sha256.

Revision ID: 0004_typed_load_balancers
Revises: 0003_handover
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004_typed_load_balancers"
down_revision = "0003_handover"
branch_labels = None
depends_on = None

_BATCH = 500
_SYSTEMS = sa.table("systems", sa.column("id", sa.Integer), sa.column("spec", sa.JSON))


def upgrade() -> None:
    _rewrite(lambda found: [] if isinstance(found, int) and not isinstance(found, bool) else None)


def downgrade() -> None:
    # Nothing to undo: govcloud at 0003_handover read load balancers as a list already (224de30 came
    # before 0003), and a number in their place is what made a stored spec unreadable to it. Making
    # each list its number again would do that to every spec (`[]` -> 0): all would read as edited.
    pass


def _rewrite(convert: Callable[[Any], Any]) -> None:
    """Every stored spec whose resources.bandwidth.load_balancers `convert` maps (None: left as it is)."""
    conn = op.get_bind()
    ids = conn.execute(sa.select(_SYSTEMS.c.id).order_by(_SYSTEMS.c.id)).scalars().all()
    for start in range(0, len(ids), _BATCH):       # a ledger of many systems is not read into memory at once
        batch = ids[start:start + _BATCH]
        for row in conn.execute(sa.select(_SYSTEMS.c.id, _SYSTEMS.c.spec).where(_SYSTEMS.c.id.in_(batch))).all():
            _convert_row(conn, row, convert)


def _convert_row(conn: sa.Connection, row: sa.Row, convert: Callable[[Any], Any]) -> None:
    spec = row.spec
    bandwidth = ((spec.get("resources") or {}).get("bandwidth") or {}) if isinstance(spec, dict) else {}
    if not isinstance(bandwidth, dict) or "load_balancers" not in bandwidth:
        return
    converted = convert(bandwidth["load_balancers"])
    if converted is None:
        return
    resources = {**spec["resources"], "bandwidth": {**bandwidth, "load_balancers": converted}}
    conn.execute(sa.update(_SYSTEMS).where(_SYSTEMS.c.id == row.id).values(spec={**spec, "resources": resources}))
