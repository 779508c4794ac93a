"""The text formats a request spec uses, each with the words a person needs to fix it.

A pattern alone makes a poor error message (`should match ^[a-z][a-z0-9-]...`), so
every pattern used by the model is declared here with a description in Chinese
and English; the messages module looks the pattern up when a value does not match.
Patterns use [0-9] rather than \\d: pydantic's regex engine lets \\d match any
Unicode digit, such as full-width ０-９.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, Strict
from pydantic_core import PydanticCustomError

# Codes are used in stack names, Keystone names and tags: keep them DNS-like.
CODE = r"^[a-z][a-z0-9-]{1,30}[a-z0-9]$"
REQUEST_ID = r"^[A-Z]{2,6}-[0-9]{4}-[0-9]{4}$"
PHONE = r"^[0-9+() -]{7,20}$"
CHECKSUM = r"^(sha256|sm3):[0-9a-f]{64}$"
BUCKET = r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"
VERSION = r"^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$"
WINDOW = r"^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"

# pattern -> (Chinese, English) description of what is expected.
DESCRIPTIONS: dict[str, tuple[str, str]] = {
    CODE: ("3-32 个小写字母、数字或连字符，以字母开头，如 jj-xzspj",
           "3-32 lowercase letters, digits or hyphens starting with a letter, e.g. jj-xzspj"),
    REQUEST_ID: ("地区缩写-年份-序号，如 JJ-2026-0001", "region letters-year-number, e.g. JJ-2026-0001"),
    PHONE: ("7-20 位电话号码，可含 + ( ) - 和空格，如 \"0792-8123456\"",
            "a phone number of 7-20 digits, + ( ) - or spaces, e.g. \"0792-8123456\""),
    CHECKSUM: ("sha256: 或 sm3: 后接 64 位小写十六进制摘要",
               "sha256: or sm3: followed by 64 lowercase hex digits"),
    BUCKET: ("3-63 个小写字母、数字、点或连字符，如 jj-zwfw-files",
             "3-63 lowercase letters, digits, dots or hyphens, e.g. jj-zwfw-files"),
    VERSION: ("版本号文本，如 \"8.0\"（请加引号，否则 8.10 会被读成 8.1）",
              "a version as text, e.g. \"8.0\" (quote it, or 8.10 reads as 8.1)"),
    WINDOW: ("时段 HH:MM-HH:MM，如 02:00-04:00", "a time window HH:MM-HH:MM, e.g. 02:00-04:00"),
    EMAIL: ("电子邮箱，如 zhangwei@jiujiang.gov.cn", "an e-mail address, e.g. zhangwei@jiujiang.gov.cn"),
}

# The city and its 13 county-level divisions: each signs its own contract and
# pays its own bill (art5, art31), so a misspelt region would bill nobody.
REGIONS: dict[str, str] = {
    "city": "九江市本级", "xunyang": "浔阳区", "lianxi": "濂溪区", "chaisang": "柴桑区",
    "wuning": "武宁县", "xiushui": "修水县", "yongxiu": "永修县", "dean": "德安县",
    "duchang": "都昌县", "hukou": "湖口县", "pengze": "彭泽县", "ruichang": "瑞昌市",
    "gongqingcheng": "共青城市", "lushan": "庐山市",
}
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
