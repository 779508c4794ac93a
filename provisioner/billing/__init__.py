"""Billing: the yearly settlement of art27-30, from metering output, prices and the evaluation.

money.py       exact amounts until the one rounding (ROUND_HALF_UP to 0.01 yuan)
prices.py      policies/prices/<year>.yaml: procured unit prices, dated (valid_from / valid_to)
policy.py      policies/settlement.yaml (the formula's parameters), policies/evaluation/<year>.yaml
usage.py       timelines cut into month x price-period pieces; trial pieces free (art16)
evaluation.py  the provider's score (art29): service response from deadlines, satisfaction, quality
settlement.py  the settlement itself: usage x price x evaluation factor x utilisation factor (art28, art30)
crosscheck.py  ledger vs Prometheus, per series and period: agree within 1% or be reported
charts.py      inline SVG charts; report.py  HTML (Chinese by default) and CSV for finance
messages.py    its words (WORDS: the bill's lines, the report's and CSV labels, region names), Chinese and English
promql.py, sources.py   the edges: Prometheus' HTTP API, the ledger and the policy files

Everything but promql.py and sources.py is pure: no I/O, time passed in.
"""
