"""Who applies and for what: the system, the applying unit, the kind of application, approvals.

The paper form (政务云资源使用申请书) opens with these: project name, owner unit,
person in charge and phone. art14: a second-level budget unit (二级预算单位)
applies only with the approval of its first-level parent unit (主管一级预算单位).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from provisioner.spec import formats
from provisioner.spec.base import Section
from provisioner.spec.materials import Document
from provisioner.spec.messages import WORDS


class Metadata(Section):
    system: str = Field(pattern=formats.CODE, description="系统代码 system code, unique in the department")
    name: str = Field(min_length=2, max_length=100, description="系统名称 system name")
    request_id: str = Field(pattern=formats.REQUEST_ID, description="申请编号 request number, e.g. JJ-2026-0001")


class Contact(Section):
    name: str = Field(min_length=2, max_length=40, description="姓名 name")
    phone: str = Field(pattern=formats.PHONE, description="电话 phone; quote it")
    role: str = Field(default=WORDS.say("contact-role-default", "zh"), min_length=1, max_length=20, description="角色 e.g. 项目负责人")
    email: str | None = Field(default=None, pattern=formats.EMAIL, description="电子邮箱 e-mail")


class Applicant(Section):
    department: str = Field(pattern=formats.CODE, description="使用单位代码 department code (the folder name)")
    department_name: str = Field(min_length=2, max_length=60, description="使用单位名称 department name")
    region: formats.Region = Field(description="city 市本级, or the county/district paying the bill (art5)")
    budget_level: formats.BudgetLevel = Field(description="预算单位级次 budget level: 1 or 2")
    parent_unit: str | None = Field(default=None, pattern=formats.CODE,
                                    description="主管一级预算单位代码 level-1 parent unit (level 2 only)")
    parent_unit_name: str | None = Field(default=None, min_length=2, max_length=60,
                                         description="主管一级预算单位名称")
    contacts: list[Contact] = Field(min_length=1, max_length=10, description="联系人 contacts")


class Application(Section):
    kind: Literal["new", "migration"] = Field(description="new 新建上云 / migration 迁移上云 (art14)")
    summary: str | None = Field(default=None, max_length=500, description="建设内容 what the system does")


class ParentApproval(Section):
    """The level-1 parent unit's approval of a level-2 unit's request (art14)."""

    unit: str = Field(pattern=formats.CODE, description="批准单位代码 = applicant.parent_unit")
    approver: str = Field(min_length=2, max_length=40, description="批准人 who approved")
    date: formats.Day = Field(description="批准日期 date of approval")
    document: Document = Field(description="批复文件 the approval document")


class Approvals(Section):
    parent_unit: ParentApproval | None = Field(default=None, description="主管单位批准 (budget level 2)")
