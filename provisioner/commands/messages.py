"""The words of govcloud's commands (provisioner/commands/ and provisioner/cli.py), in Chinese and English.

What a command prints or refuses with, said in the language of `--lang` (Chinese by default);
the words of what a command calls stay in that package's table. See provisioner/words.py.
"""

from __future__ import annotations

from provisioner.words import Words

WORDS = Words({
    # cli.py: the error boundary
    "internal-error": ("内部错误；调用栈已写入 {log}", "internal error; the traceback is in {log}"),

    # Arguments and settings several commands check
    "no-such-path": ("{path}：没有这个文件或目录", "{path}: no such file or folder"),
    "not-a-department-code": ("{code!r} 不是单位代码（例如 jj-xzspj）", "{code!r} is not a department code (e.g. jj-xzspj)"),
    "cannot-read-file": ("无法读取 {path}：{reason}", "cannot read {path}: {reason}"),
    "cannot-write-file": ("无法写入 {path}：{reason}", "cannot write {path}: {reason}"),

    # Table columns (status, credentials)
    "col-region": ("区域", "region"),
    "col-department": ("单位", "department"),
    "col-system": ("系统", "system"),
    "col-phase": ("阶段", "phase"),
    "col-next-deadline": ("下一期限", "next deadline"),
    "col-owed-by": ("责任方", "owed by"),
    "col-trial-end": ("试用截止", "trial ends"),
    "col-month-cost": ("本月费用（元）", "this month (yuan)"),
    "col-user": ("账号", "user"),
    "col-credential": ("应用凭据", "credential"),
    "col-role": ("用途", "role"),
    "col-age-days": ("已用天数", "age (days)"),
    "col-expires": ("过期时间", "expires"),
    "col-finding": ("问题", "finding"),

    # generated.py: CODEOWNERS and the Alertmanager configuration (codeowners, alerts-config)
    "generated-stale": ("govcloud {command}：{file} 不是最新的，{fix}", "govcloud {command}: {file} is not current: {fix}"),
    "generated-current": ("{file}：已是最新", "{file}: current"),
    "generated-unchanged": ("{file}：没有变化", "{file}: unchanged"),
    "generated-written": ("{file}：已写入", "{file}: written"),
    "codeowners-fix": ("请运行 govcloud codeowners 并提交", "run govcloud codeowners and commit it"),
    "alerts-config-fix": ("请重新生成并部署", "generate and deploy it again"),

    # audit (art26)
    "audit-bucket-unset": ("请设置 GOVCLOUD_AUDIT_BUCKET（不是 AWS 的对象存储还须设置 GOVCLOUD_AUDIT_S3_ENDPOINT）",
                           "set GOVCLOUD_AUDIT_BUCKET (and GOVCLOUD_AUDIT_S3_ENDPOINT for a non-AWS store)"),
    "audit-exported": ("已导出 {count} 条记录 #{first}..#{last}，存至 {location}",
                       "exported {count} record(s) #{first}..#{last} to {location}"),
    "audit-nothing-to-export": ("没有需要导出的记录", "nothing to export"),
    "audit-pruned": ("已删除 {count} 条记录（至 #{through}）", "pruned {count} record(s) through #{through}"),
    "audit-unanchored": ("未设置 GOVCLOUD_AUDIT_BUCKET：只核对了数据库内的哈希链，无法发现连同链头一起删除的首尾记录",
                         "GOVCLOUD_AUDIT_BUCKET is not set: only the chain inside the database was checked; records "
                         "deleted at its end or start together with its head cannot be found"),
    "audit-no-anchor": ("对象存储中尚无导出：日志还没有锚点（请运行 govcloud audit export）",
                        "nothing is exported yet: the log has no anchor (run govcloud audit export)"),
    "audit-anchor": ("锚点：{location}（#{seq}）", "anchor: {location} (#{seq})"),
    "audit-run-unclosed": ("（未结束：被终止或仍在运行）", "(not closed: killed or still running)"),
    "audit-record-corrupt": ("（记录已损坏：{what}）", "(corrupt record: {what})"),
    "audit-tampered": ("审计日志被篡改：{count} 条记录中发现 {problems} 处问题",
                       "audit log TAMPERED: {problems} problem(s) in {count} record(s)"),
    "audit-intact": ("审计日志完整：共 {count} 条记录", "audit log intact: {count} record(s)"),

    # calendar
    "working-day": ("工作日", "working day"),
    "day-off": ("休息日", "day off"),

    # credentials (art12)
    "no-department-requests": ("request_specs/ 下没有单位 {department} 的申请",
                               "no request of department {department} under request_specs/"),
    "role-current": ("栈凭据（当前）", "stacks (current)"),
    "role-previous": ("栈凭据（过渡期）", "stacks (overlap)"),
    "role-own": ("单位自建", "department's own"),
    "role-unaccounted": ("无法对应（不在租户栈中）", "unaccounted (in no stack)"),
    "never-expires": ("永不过期", "never"),
    "rotation-policy": ("第十二条第三款：凭据至少每 {days} 天更换一次（policies/inspection.yaml）",
                        "art12(3): credentials are rotated at least every {days} days (policies/inspection.yaml)"),
    "credential-issued": ("{department}：已签发 {name}（{id}），{expires} 过期（第十二条）",
                          "{department}: issued {name} ({id}), expires {expires} (art12)"),
    "credential-revoked": ("{department}：已撤销 {name}（第十二条）", "{department}: revoked {name} (art12)"),
    "credential-kept": ("{department}：{name} 已到撤销时间，但栈 {stack} 仍在使用，暂时保留（govcloud apply 后撤销）",
                        "{department}: {name} is due but the stack {stack} still works with it; kept until it takes "
                        "the new one (govcloud apply)"),
    "credential-not-taken": ("{department}：栈 {stack} 未能换用新凭据：{why}",
                             "{department}: the stack {stack} could not take the new credential: {why}"),
    "output-exists": ("{path} 已存在，凭据只写入新文件", "{path} exists: the credential goes into a new file only"),
    "no-folder": ("目录 {folder} 不存在", "no folder {folder}"),

    # drift (the stack, an ASCII colon, then the words: the lines are found by their stack)
    "drift-not-created": ("{stack}: 尚未创建，跳过", "{stack}: not created yet, skipped"),
    "drift-unchecked": ("{stack}: 无法检查：{error}", "{stack}: could not be checked: {error}"),
    "drift-found": ("{stack}: {count} 处漂移", "{stack}: {count} drifted"),
    "drift-none": ("{stack}: 无漂移", "{stack}: in sync"),

    # apply, preview, destroy, apply --base, repair
    "apply-base-no-paths": ("apply --base 不接受申请文件路径：它只应用自基点以来变化的申请",
                            "apply --base takes no spec paths: it applies what changed since the base"),
    "stacks-failed": ("{count} 个栈失败，Pulumi 的完整输出见 {log}",
                      "{count} stack(s) failed; Pulumi's full output is in {log}"),
    "stack-locked-waiting": ("{stack} 正被另一次运行锁定（{holders}），等待中",
                             "{stack} is locked by another run ({holders}): waiting"),
    "no-spec-changed": ("自基点以来没有申请文件变化", "no request spec changed since the base"),
    "kept-for-restore": ("保留以便恢复：{kept}", "kept for the restore: {kept}"),
    "repair-stopped": ("为免数据被重建为空而停止（见上）；系统栈未作任何改动",
                       "stopped before making data again empty (see above); the system stack was left as it was"),
    "repair-nothing-missing": ("{stack}: 没有缺失的资源", "{stack}: nothing was missing"),

    # exporter (art27)
    "utilisation-unreadable": ("无法读取 --utilisation {spec}：{error}", "cannot read --utilisation {spec}: {error}"),
    "utilisation-unknown": ("--utilisation {spec}：请选择 openstack、none 或 static:FILE",
                            "--utilisation {spec}: choose openstack, none or static:FILE"),
    "listen-malformed": ("--listen {value}：应为 HOST:PORT", "--listen {value}: expected HOST:PORT"),
    "cannot-listen": ("无法监听 {host}:{port}：{reason}；请用 --listen 或 GOVCLOUD_EXPORTER_LISTEN 另选地址",
                      "cannot listen on {host}:{port}: {reason}; choose another address with --listen or "
                      "GOVCLOUD_EXPORTER_LISTEN"),
    "sources-down": ("采集失败：{sources}", "collection failed: {sources}"),
    "exporter-serving": ("govcloud exporter：正在提供 http://{host}:{port}/metrics",
                         "govcloud exporter: serving http://{host}:{port}/metrics"),

    # reconcile, lifecycle
    "unknown-reconcile-engine": ("GOVCLOUD_RECONCILE_ENGINE={engine}：没有这个引擎，可选：{known}",
                                 "GOVCLOUD_RECONCILE_ENGINE={engine}: known engines are {known}"),
    "deadline-uncertain": ("（期限按推测的节假日安排计算）", "UNCERTAIN"),

    # regions
    "domain-created": ("域 {domain}：已创建", "domain {domain}: created"),
    "domain-exists": ("域 {domain}：已存在", "domain {domain}: exists"),

    # security-report (art20-21, art24)
    "no-clouds-yaml": ("{path} 处没有 clouds.yaml：请设置 OS_CLIENT_CONFIG_FILE",
                       "no clouds.yaml at {path}: set OS_CLIENT_CONFIG_FILE"),
    "no-department": ("没有单位 {department}：request_specs/{department}/ 下没有申请，云中也没有带此标签的资源",
                      "no department {department}: no request under request_specs/{department}/ and nothing "
                      "labelled with it in the cloud"),
    "security-summary": ("security-report：{systems} 个系统，{departments} 个单位；问题：{counts}{where}",
                         "security-report: {systems} system(s), {departments} department(s); "
                         "findings: {counts}{where}"),

    # status
    "status-total": ("共 {count} 个系统；{month} 生产费用合计 {total} 元（截至 {now}；试用免费，第十六条）",
                     "{count} system(s); production cost of {month}: {total} yuan (up to {now}; trial is free, art16)"),
    "no-price": ("无单价", "no price"),
    "no-prices": ("{year} 年没有价格目录（policies/prices/{year}.yaml）：不计费用（第二十八条）",
                  "no price list for {year} (policies/prices/{year}.yaml): no cost stated (art28)"),
    "status-pages-written": ("已生成状态页 {folder}（共 {count} 页）", "status pages written: {folder} ({count} pages)"),
    "uncertain-marked": ("标 ? 的期限按推测的节假日安排计算", "deadlines marked ? are computed on a guessed holiday calendar"),

    # unlock
    "not-locked": ("{stack} 没有锁", "{stack} is not locked"),

    # validate, policy
    "no-policies": ("{root} 下没有 policies/：只检查了申请文件", "no policies/ under {root}: only the request specs were checked"),
    "validate-all-valid": ("共检查 {total} 个文件，全部通过", "checked {total} file(s): all valid"),
    "validate-some-invalid": ("共检查 {total} 个文件：{valid} 个通过，{invalid} 个有问题，共 {problems} 处",
                              "checked {total} file(s): {valid} valid, {invalid} invalid with {problems} problem(s)"),
    "policy-docs-stale": ("{target} 已过时：请运行 `govcloud policy docs`",
                          "{target} is out of date: run `govcloud policy docs`"),
    "policy-docs-current": ("{target} 已是最新", "{target} is up to date"),
    "policy-docs-written": ("已写入 {target}", "wrote {target}"),
})
