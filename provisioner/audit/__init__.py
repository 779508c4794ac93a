"""The audit log (art26): append-only, hash-chained, kept at least one year.

chain.py   pure: sealing records, verifying a sequence (changed, dropped, reordered)
log.py     in the ledger database: append within the caller's transaction, read, verify, prune
export.py  copies to S3-compatible object storage, and verification of those copies
messages.py  what a verification finds and why a command refuses, Chinese and English
"""
