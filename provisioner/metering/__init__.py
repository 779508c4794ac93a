"""Metering: what each system was granted, for how long, and how much of it OpenStack shows in use.

resources.py     the resource kinds (limes' service/resource names) and a granted spec's amounts
timeline.py      a generation's life as segments (phase, amounts) from its ledger events; pure
deadlines.py     deadlines met and breached, from the ledger's events; pure
snapshot.py      everything /metrics shows at one moment, computed from timelines; pure
collector.py     the prometheus_client Collector over the latest snapshot (registry passed in)
utilisation.py   the pluggable live-use source: protocol, windows split per month; pure
openstack_use.py the real source: Nova os-simple-tenant-usage, Cinder volumes, Neutron floating IPs
openstack_reads.py the operator's listings of the cloud, shared by a collection's sources
cloud_api.py     those reads as plain REST on a keystoneauth1 session (no openstacksdk: edge)
ledger_reader.py reads timelines and live rows from the ledger (edge)
recorder.py      adds observation windows to the ledger's metering_utilisation table (edge)
exporter.py      the background collection loop and the HTTP server serving cached exposition

Allocation is never sampled: every counter is a pure function of the ledger's events, so a
restarted exporter or a missed scrape loses nothing (docs/design.md).
"""
