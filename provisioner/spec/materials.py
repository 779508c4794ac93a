"""The application materials of art14, each a reference to a document with its checksum.

The documents themselves (PDFs, scans) live in the department's document store
or next to the spec; the spec pins each one by checksum so that what the office
accepted is exactly what was reviewed. SM3 is accepted next to SHA-256: it is
the national standard hash (GB/T 32905) government systems often use.
"""

from __future__ import annotations

from pydantic import Field

from provisioner.spec import formats
from provisioner.spec.base import Section


class Document(Section):
    title: str = Field(min_length=2, max_length=200, description="文件标题 title")
    ref: str = Field(min_length=1, max_length=300,
                     description="存放位置 where it is: a path, a URL or a document-system id")
    checksum: str = Field(pattern=formats.CHECKSUM, description="摘要 sha256:<hex> or sm3:<hex>")
    number: str | None = Field(default=None, max_length=80, description="文号, e.g. 九发改审批字〔2026〕12号")
    date: formats.Day | None = Field(default=None, description="成文日期 date of the document")


class Materials(Section):
    """Which ones are required depends on the application kind: see rules.completeness."""

    project_approval: Document | None = Field(default=None, description="项目批文 project approval")
    technical_plan: Document | None = Field(default=None, description="技术方案 technical plan (new)")
    migration_plan: Document | None = Field(default=None, description="迁移方案 migration plan (migration)")
    contract: Document | None = Field(default=None, description="项目合同 project contract (new)")
    performance_self_test: Document | None = Field(default=None, description="系统性能自测报告")
    security_self_test: Document | None = Field(default=None, description="系统安全自测报告")
    service_agreement: Document | None = Field(default=None, description="服务协议 (art22), once signed")
    others: list[Document] = Field(default_factory=list, max_length=20, description="其他申请材料")
