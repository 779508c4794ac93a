"""The audit log's words (art26): what a verification finds, why a prune is refused, what broke,
in Chinese and English. See provisioner/words.py."""

from __future__ import annotations

from provisioner.words import Words

WORDS = Words({
    # -- what the chain shows (audit/chain.py) --------------------------------------------------
    "twice": ("记录 #{seq} 重复出现", "record #{seq} appears twice"),
    "dropped": ("记录 {records} 缺失（被删除）", "record(s) {records} missing (dropped)"),
    "corrupt": ("记录 #{seq} 已损坏，无法读取（{what}）：视为被篡改",
                "record #{seq} is corrupt: its {what} cannot be read (treated as tampering)"),
    "broken-link": ("记录 #{seq} 与前一条记录 #{previous} 的哈希链接不符：#{previous} 被改写",
                    "record #{seq} does not link to #{previous}: #{previous} was rewritten"),
    "reordered-after": ("记录顺序被调换：#{seq} 位于 #{before} 之后（第 {position} 条）",
                        "reordered: #{seq} stands after #{before} (position {position})"),
    "reordered-content": ("记录顺序被调换：序号 #{seq} 处存放的是记录 #{other} 的内容",
                          "reordered: position #{seq} holds the content of record #{other}"),
    "changed": ("记录 #{seq} 的内容被修改（哈希不符）", "record #{seq} was changed (its hash does not match its content)"),
    "end-dropped": ("日志末尾的记录 {records} 缺失（被删除）", "record(s) {records} at the end are missing (dropped)"),
    "head-differs": ("最后一条记录 #{seq} 与链头不符", "the last record #{seq} does not match the chain head"),
    "beyond-head": ("记录 #{seq} 起不在链头之内（被插入）", "records from #{seq} are beyond the chain head (inserted)"),
    "head-deleted": ("审计日志的链头（audit_head 表）被删除", "the audit log's chain head (table audit_head) was deleted"),

    # -- the database against its newest export, the anchor (audit/anchor.py) -------------------
    "anchor-truncated": ("日志只到 #{head}，但 {location} 表明已写到 #{anchor}：记录 {records} 被删除",
                         "the log ends at #{head} but {location} shows it reached #{anchor}: record(s) {records} were deleted"),
    "anchor-rewritten": ("记录 #{seq} 与 {location} 中的副本不符：日志在此处或之前被改写",
                         "record #{seq} differs from its copy in {location}: the log was rewritten there or before"),
    "pruned-unexported": ("记录 #1..#{seq} 已从数据库删除，但导出只到 #{anchor}：#{first}..#{seq} 从未导出",
                          "records #1..#{seq} are gone from the database but the exports reach #{anchor} only: "
                          "#{first}..#{seq} were never exported"),
    "start-rewritten": ("数据库的起点 #{seq} 与对象存储中的导出副本不符",
                        "the database's start point #{seq} does not match the exported copy of that record"),
    "pruned-early": ("记录 #1..#{seq} 已从数据库删除，但 #{seq}（{at}）须保存至 {until}（第二十六条）",
                     "records #1..#{seq} are gone from the database but #{seq} ({at}) must be kept until {until} (art26)"),

    # -- the log in the database (audit/log.py) -------------------------------------------------
    "no-head": ("审计日志没有链头（audit_head 表）：日志已被篡改；运行 `govcloud audit verify` 可列出缺失的内容",
                "the audit log has no chain head (table audit_head): it was tampered with; "
                "`govcloud audit verify` lists what is missing"),
    "head-behind": ("审计日志的链头为 #{head}，但记录 #{seq} 已存在：日志已被篡改；运行 `govcloud audit verify` 可列出问题所在",
                    "the audit log's chain head says #{head} but record #{seq} exists: it was tampered with; "
                    "`govcloud audit verify` lists what is wrong"),
    "record-unreadable": ("审计记录 #{seq} 已损坏（无法读取其 {what}）：运行 `govcloud audit verify` 可列出全部问题",
                          "audit record #{seq} is corrupt (its {what} cannot be read): "
                          "`govcloud audit verify` lists every problem"),
    "prune-too-young": ("拒绝清理：记录 #{seq}（{at}）未满{kept}，须保存至 {until}（第二十六条）",
                        "refused: record #{seq} ({at}) is younger than {kept}; it must be kept until {until} (art26)"),
    "prune-unexported": ("拒绝清理：记录 #{seq} 起尚未导出到对象存储，请先执行 govcloud audit export",
                         "refused: records from #{seq} are not exported to object storage yet; "
                         "run govcloud audit export first"),

    # -- copies in object storage (audit/export.py) ---------------------------------------------
    "export-failed": ("审计日志导出到 {location} 失败：{error}", "audit export to {location} failed: {error}"),
    "exports-unreadable": ("读取 {location} 中的审计日志导出副本失败：{error}",
                           "reading audit exports from {location} failed: {error}"),
    "anchor-unreadable": ("读取 {location} 中的审计锚点失败：{error}", "reading the audit anchor from {location} failed: {error}"),
})
