"""What happens after the application, as recorded in the spec by merge request.

Trial (art16): 15 calendar days, free, extended only with a reason. Acceptance
(art16): the unit and the provider each record their verdict; the system goes
live only when both agree. Change (art18) and termination (art19) requests.
Migration (art23): the legacy system stays up at least two months after go-live.
Deadlines and state live in the ledger; here only what people write down.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from provisioner.regulation import MAX_EXTENSION_DAYS, TRIAL, TRIAL_DAYS
from provisioner.spec import formats
from provisioner.spec.base import Section
from provisioner.spec.materials import Document
from provisioner.spec.messages import bilingual

# A reason (extension, change, termination) says something: at least this many characters
# that are not blank, here and in `govcloud lifecycle extend|terminate|early-go-live`.
REASON_MIN_CHARS = 4
# art16: the unit tests function, performance, data and security.
ACCEPTANCE_TESTS = ("function", "performance", "data", "security")
AcceptanceTest = Literal["function", "performance", "data", "security"]


class Extension(Section):
    days: int = Field(ge=1, le=MAX_EXTENSION_DAYS, description="延长天数 extra calendar days")
    reason: str = Field(min_length=REASON_MIN_CHARS, max_length=300, description="延长理由 why it is truly needed")
    requested_on: formats.Day = Field(description="申请日期")


class Trial(Section):
    days: int = Field(default=TRIAL_DAYS, ge=1, le=TRIAL_DAYS,
                      description=bilingual("schema-trial-days", days=TRIAL_DAYS, article=TRIAL.article))
    extensions: list[Extension] = Field(default_factory=list, max_length=5, description="延期申请")


class AcceptanceRecord(Section):
    by: str = Field(min_length=2, max_length=40, description="签字人 who signs for the party")
    date: formats.Day
    result: Literal["passed", "failed"]
    tests: list[AcceptanceTest] = Field(default_factory=list, description="测试项: function, performance, data, security")
    report: Document | None = Field(default=None, description="测试评估报告")
    note: str | None = Field(default=None, max_length=500)


class Acceptance(Section):
    department: AcceptanceRecord | None = Field(default=None, description="使用单位意见")
    provider: AcceptanceRecord | None = Field(default=None, description="云服务商意见")


class Change(Section):
    reason: str = Field(min_length=REASON_MIN_CHARS, max_length=500, description="变更理由")
    requested_on: formats.Day
    major: bool = Field(default=False, description="重大变更: goes through the new-application flow (art18)")


class DataHandover(Section):
    method: Literal["backup", "migrate", "backup_and_migrate"] = Field(description="数据备份/迁移")
    destination: str = Field(min_length=2, max_length=200, description="where the data goes")


class Termination(Section):
    reason: str = Field(min_length=REASON_MIN_CHARS, max_length=500, description="终止理由")
    requested_on: formats.Day
    data: DataHandover = Field(description="数据迁移备份 (art19)")


class LegacySystem(Section):
    name: str = Field(min_length=2, max_length=100, description="原系统名称")
    location: str = Field(min_length=2, max_length=200, description="原系统所在 where it runs now")
    keep_months: int = Field(default=2, ge=2, le=60, description="上线后保留月数, at least 2 (art23)")


class Migration(Section):
    legacy_system: LegacySystem
    data_backup: Document | None = Field(default=None, description="迁移前数据备份记录 (art23)")
