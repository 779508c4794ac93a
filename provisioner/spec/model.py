"""Typed model of a department's resource request (request_specs/<dept>/<system>.yaml).

The model is the contract between the people who write requests and everything
downstream (policy, stacks, billing). Field names are English snake_case; the
descriptions carry the Chinese term staff know from the paper form
(政务云资源使用申请书), so the exported JSON Schema reads well in an editor.

The model checks shape only. Rules across fields (completeness per kind, the
approval chain, port ranges, unique names) are in provisioner.spec.rules and
run by parse_spec/load_spec: use those, not model_validate, to accept a spec.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from provisioner.spec.applicant import (
    Applicant,
    Application,
    Approvals,
    Contact,
    Metadata,
)
from provisioner.spec.base import Section
from provisioner.spec.lifecycle import Acceptance, Change, Migration, Termination, Trial
from provisioner.spec.materials import Document, Materials
from provisioner.spec.messages import bilingual
from provisioner.spec.resources import (
    Database,
    DataDisk,
    Host,
    Network,
    Resources,
    Storage,
)
from provisioner.spec.security import IngressRule, Security

API_VERSION = "govcloud.jiujiang.gov.cn/v1"
KIND = "ResourceRequest"

__all__ = [
    "API_VERSION", "KIND", "Acceptance", "Applicant", "Application", "Approvals", "Change",
    "Contact", "DataDisk", "Database", "Document", "Host", "IngressRule", "Materials",
    "Metadata", "Migration", "Network", "RequestSpec", "Resources", "Security", "Storage",
    "Termination", "Trial",
]


class RequestSpec(Section):
    model_config = ConfigDict(title=bilingual("schema-title"))

    api_version: Literal["govcloud.jiujiang.gov.cn/v1"] = Field(alias="apiVersion")
    kind: Literal["ResourceRequest"]
    metadata: Metadata
    applicant: Applicant
    application: Application
    approvals: Approvals = Field(default_factory=Approvals, description="批准 approvals (art14)")
    materials: Materials = Field(default_factory=Materials, description="申请材料 materials (art14)")
    migration: Migration | None = Field(default=None, description="迁移 (kind: migration, art23)")
    resources: Resources
    trial: Trial = Field(default_factory=Trial, description="试用 (art16)")
    acceptance: Acceptance = Field(default_factory=Acceptance, description="测试验收 (art16)")
    change: Change | None = Field(default=None, description="变更申请 (art18)")
    termination: Termination | None = Field(default=None, description="终止申请 (art19)")

    @property
    def department(self) -> str:
        return self.applicant.department

    @property
    def region(self) -> str:
        return self.applicant.region
