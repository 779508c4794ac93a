"""Alerts the Prometheus way: the Alertmanager configuration made from the office's policies.

routes.py  policies/owners.yaml (+ naming.yaml's region prefixes) -> Alertmanager routes and
           email receivers: each unit its own alerts, the provider its operations, the office all
messages.py the mails' words (subject, footer) and the file's header, Chinese and English
The rules themselves are deploy/prometheus/govcloud-rules.yml; the series they read beyond
metering are provisioner/metering/alert_series.py.
"""
