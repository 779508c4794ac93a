"""The ledger: requests, system generations, every transition as an event, the audit log.

db.py        opening SQLite or PostgreSQL, migrations (Alembic, under migrations/)
schema.py    the tables
store.py     rows <-> lifecycle views; a step, its events and audit records written together
leases.py    the reconcile lease
workflow.py  the use cases people trigger: submit, accept, reject, verdict, extend, terminate
messages.py  the ledger database's words, zh and en
"""

from provisioner.ledger.db import Ledger, LedgerError

__all__ = ["Ledger", "LedgerError"]
