"""The text formats a request spec uses, each with the words a person needs to fix it.

A pattern alone makes a poor error message (`should match ^[a-z][a-z0-9-]...`), so
every pattern used by the model is declared here with a description in Chinese
and English; the messages module looks the pattern up when a value does not match.
Patterns use [0-9] rather than \\d: pydantic's regex engine lets \\d match any
Unicode digit, such as full-width ０-９.
"""

from __future__ import annotations

import ipaddress
from datetime import date
from functools import lru_cache
from typing import Annotated, Literal, NamedTuple

from pydantic import BeforeValidator, Field, Strict
from pydantic_core import PydanticCustomError

from provisioner.spec.messages import REGION_NAMES

# Codes are used in stack names, Keystone names and tags: keep them DNS-like.
CODE = r"^[a-z][a-z0-9-]{1,30}[a-z0-9]$"
REQUEST_ID = r"^[A-Z]{2,6}-[0-9]{4}-[0-9]{4}$"
PHONE = r"^[0-9+() -]{7,20}$"
CHECKSUM = r"^(sha256|sm3):[0-9a-f]{64}$"
BUCKET = r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"
VERSION = r"^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$"
WINDOW = r"^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"

# pattern -> the words (provisioner/spec/messages.py WORDS) saying what is expected.
DESCRIPTIONS: dict[str, str] = {
    CODE: "format-code", REQUEST_ID: "format-request-id", PHONE: "format-phone", CHECKSUM: "format-checksum",
    BUCKET: "format-bucket", VERSION: "format-version", WINDOW: "format-window", EMAIL: "format-email",
}

# The city and its 13 county-level divisions: each signs its own contract and
# pays its own bill (art5, art31), so a misspelt region would bill nobody. Code -> Chinese name.
REGIONS: dict[str, str] = {code: zh for code, (zh, _) in REGION_NAMES.items()}
Region = Literal[tuple(REGIONS)]  # type: ignore[valid-type]


def _reject_bool(value: object) -> object:
    # Python's True == 1, so Literal[1, 2] alone would accept `budget_level: true`.
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


BudgetLevel = Annotated[Literal[1, 2], BeforeValidator(_reject_bool)]
MlpsLevel = Annotated[Literal[2, 3], BeforeValidator(_reject_bool)]
# YAML gives dates as text (the loader keeps timestamps unresolved); parse them here.
Day = Annotated[date, Strict(False), Field(description="日期 date, YYYY-MM-DD")]


class Cidr(NamedTuple):
    network: str        # as ipaddress writes it: the value itself unless host bits are set
    private: bool


@lru_cache(maxsize=1024)
def network(value: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """A CIDR value of a request (`10.0.0.0/24`, a bare address too, host bits allowed) as the
    network it names; None when it is none. The one reading of a request's CIDRs, by the spec's
    checks and the policies' alike. Cached: a thousand specs repeat the same few values
    (10.0.0.0/24, 0.0.0.0/0), and parsing them again was most of what those checks cost."""
    try:
        return ipaddress.ip_network(value, strict=False)
    except ValueError:
        return None


@lru_cache(maxsize=1024)
def cidr(value: str) -> Cidr | None:
    """What a CIDR value is (its network as written, whether private); None when it is none."""
    net = network(value)
    return None if net is None else Cidr(str(net), net.is_private)
