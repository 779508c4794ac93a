"""The words of the ledger (provisioner/ledger/), in Chinese and English. See provisioner/words.py.

The lifecycle's refusals (a step the state does not allow) are the lifecycle's own sentences
(provisioner/lifecycle/messages.py); these are the ledger database's."""

from __future__ import annotations

from provisioner.words import Words

WORDS = Words({
    "ledger-url-scheme": ("GOVCLOUD_LEDGER_URL 应为 sqlite:///... 或 postgresql+psycopg://...，而不是 {scheme}:",
                          "GOVCLOUD_LEDGER_URL must be sqlite:///... or postgresql+psycopg://..., not {scheme}:"),
    "ledger-no-schema": ("台账尚无数据库结构：请先运行任一 govcloud ledger 命令完成迁移",
                         "the ledger has no schema: run any govcloud ledger command once to migrate it"),
    "ledger-unreachable": ("无法连接台账数据库：{reason}", "ledger database unreachable: {reason}"),
    "ledger-failed": ("台账数据库出错：{reason}", "ledger database failed: {reason}"),
    "ledger-changed-meanwhile": ("{system} 第 {generation} 代在此期间已被他人修改，请重试",
                                 "{system} generation {generation} changed meanwhile; retry"),
    "old-spec-invalid": ("原申请在现行模型下无法解析，按重大变更办理",
                         "the running request no longer validates: treated as a major change"),
})
