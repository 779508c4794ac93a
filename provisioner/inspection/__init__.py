"""The security inspection of the running cloud (art20-21, art24): `govcloud security-report`.

    facts.py      what the cloud holds, as plain values (read by provisioner/cloud/inventory.py)
    systems.py    the facts grouped by the system their labels name
    exposure.py   what each system exposes to the internet, through its elastic IPs
    drift.py      security group rules in the cloud against the ones the request asks for
    checks.py     findings (rule id, article, severity, words) from the facts and the requests
    expiry.py     a credential against the rotation period: the rule checks.py, `govcloud credentials`
                  and the exporter's credential series share
    report.py     the findings and facts per department and system (the report's model)
    render.py     the report as a self-contained HTML page (Jinja2) or as JSON
    messages.py   the report's words and the values findings name (shown_time), Chinese and English

Everything here is pure: no cloud, no files, no clock; the command passes `now`.
"""
