"""The Alertmanager configuration, generated from policies/owners.yaml (pure).

    config = alertmanager_config(owners, region_prefixes, Mail(...), Timing())
    text = render(config)          # YAML with a header saying where it comes from

Routing, first match wins unless `continue`:
  1. team="provider" (the exporter, its sources, the audit export): the provider's ops;
  2. region="<r>", department="<code>" for each unit in owners.yaml: the unit's email; the
     region comes from the department code's prefix (policies/naming.yaml, art27), so an
     alert whose labels disagree with the code reaches nobody's unit by mistake;
  3. everything, grouped per alert and region: the office (it answers art15 itself, and
     regulates the rest), so it also hears of alerts for a unit not (yet) in owners.yaml.
Units get one mail per system and rule; the office a digest per alert and region.
Mails are Chinese (English with `lang="en"`): the subject and body come from the rules' annotations,
framed by the words of alerting/messages.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

import yaml

from provisioner.alerting.messages import WORDS
from provisioner.gitops.owners import Owners
from provisioner.words import DEFAULT_LANG

OFFICE, PROVIDER = "office", "provider"

RULES, OWNERS, NAMING = "deploy/prometheus/govcloud-rules.yml", "policies/owners.yaml", "policies/naming.yaml"


def subject(lang: str = DEFAULT_LANG) -> str:
    """The mail's subject: the alert's title, then its summary (one alert) or how many there are."""
    return WORDS.say("mail-subject", lang, title="{{ .CommonAnnotations.title }}",
                     if_one="{{ if eq (len .Alerts) 1 }}", summary="{{ (index .Alerts 0).Annotations.summary }}",
                     else_many="{{ else }}", count="{{ len .Alerts }}", end="{{ end }}")


def body(lang: str = DEFAULT_LANG) -> str:
    return ("{{ range .Alerts }}{{ .Annotations.description }}\n\n{{ end }}"
            f"——\n{WORDS.say('mail-footer', lang, rules=RULES, owners=OWNERS)}\n")


def html(lang: str = DEFAULT_LANG) -> str:
    footer = escape(WORDS.say("mail-footer", lang, rules=RULES, owners=OWNERS))
    return ('<html><body>{{ range .Alerts }}<p>{{ .Annotations.description }}</p>{{ end }}'
            f'<p style="color:#666">{footer}</p></body></html>')


def header() -> str:
    """The file's first lines, in both languages: whoever opens it learns where it comes from."""
    return "".join(f"# {WORDS.say('config-header', lang, owners=OWNERS, naming=NAMING)}\n" for lang in ("en", "zh"))


@dataclass(frozen=True)
class Mail:
    smarthost: str                          # HOST:PORT of the SMTP relay
    sender: str                             # the From address
    require_tls: bool = True
    auth_username: str | None = None
    auth_password_file: str | None = None   # a file Alertmanager reads: no secret in the configuration


@dataclass(frozen=True)
class Timing:
    group_wait: str = "30s"
    group_interval: str = "5m"
    repeat_interval: str = "4h"


def unit_receiver(department: str) -> str:
    return f"unit-{department}"


def region_of(department: str, region_prefixes: Mapping[str, str]) -> str | None:
    """The region whose prefix starts the department code (jj-xzspj -> city), if any."""
    prefix = department.split("-", 1)[0]
    return next((region for region, code in region_prefixes.items() if code == prefix), None)


def alertmanager_config(owners: Owners, region_prefixes: Mapping[str, str], mail: Mail,
                        timing: Timing = Timing(), lang: str = DEFAULT_LANG) -> dict[str, Any]:
    units = sorted(owners.departments)
    routes: list[dict[str, Any]] = [{"receiver": PROVIDER, "matchers": ['team="provider"'], "continue": True}]
    for code in units:
        region = region_of(code, region_prefixes)
        matchers = ([f'region="{region}"'] if region else []) + [f'department="{code}"']
        routes.append({"receiver": unit_receiver(code), "matchers": matchers, "continue": True})
    routes.append({"receiver": OFFICE, "group_by": ["alertname", "region"]})
    receivers = [_receiver(OFFICE, owners.office.email, lang), _receiver(PROVIDER, owners.provider.email, lang)]
    receivers += [_receiver(unit_receiver(code), owners.departments[code].email, lang) for code in units]
    return {"global": _global(mail),
            "route": {"receiver": OFFICE, "group_by": ["alertname", "region", "department", "system", "rule"],
                      "group_wait": timing.group_wait, "group_interval": timing.group_interval,
                      "repeat_interval": timing.repeat_interval, "routes": routes},
            "receivers": receivers}


def _global(mail: Mail) -> dict[str, Any]:
    found: dict[str, Any] = {"smtp_smarthost": mail.smarthost, "smtp_from": mail.sender,
                             "smtp_require_tls": mail.require_tls}
    if mail.auth_username:
        found["smtp_auth_username"] = mail.auth_username
    if mail.auth_password_file:
        found["smtp_auth_password_file"] = mail.auth_password_file
    return found


def _receiver(name: str, email: str, lang: str) -> dict[str, Any]:
    return {"name": name, "email_configs": [{"to": email, "send_resolved": False, "headers": {"Subject": subject(lang)},
                                             "text": body(lang), "html": html(lang)}]}


def render(config: Mapping[str, Any]) -> str:
    return header() + yaml.safe_dump(dict(config), allow_unicode=True, sort_keys=False, width=120)
