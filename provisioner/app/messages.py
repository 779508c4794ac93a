"""The words of the use cases (provisioner/app/), in Chinese and English: adopt, drift, repair, the
ledger's intake, merge-apply, plan and its merge-request comment. See provisioner/words.py."""

from __future__ import annotations

from provisioner.words import Words

WORDS = Words({
    # adopt.py: stacks the ledger does not hold
    "adopt-skipped": ("{stack}: {reason}", "{stack}: {reason}"),
    "adopt-no-labels": ("堆栈中没有带 govcloud 标签的资源，无法判断其系统与阶段",
                        "no resource of the stack carries govcloud labels: its system and phase are unknown"),
    "adopt-labels-disagree": ("资源标签不一致或与堆栈名不符（系统 {systems}，申请 {requests}）",
                              "the labels disagree or do not name the stack (systems {systems}, requests {requests})"),
    "adopt-no-created": ("状态中没有资源创建时间（Pulumi 版本过旧？）", "the state records no creation time (an old Pulumi?)"),
    "adopt-already-recorded": ("申请 {request} 已在台账中（{decision}），未重复登记",
                               "request {request} is already in the ledger ({decision})"),
    # drift.py and repair.py: what was deleted or changed in the cloud outside the code
    "missing-project": ("部门项目已在云上被删除：{project}；栈 {stack} 无法读取其资源，`govcloud repair {stack}` "
                        "重建项目及其资源（数据卷须从备份恢复）",
                        "the department's project {project} was deleted in the cloud: stack {stack} cannot read its "
                        "resources; `govcloud repair {stack}` makes the project and its resources again (data volumes "
                        "come back from backups)"),
    "project-with-id": ("{name}（{id}）", "{name} ({id})"),
    "drift-missing-resource": ("{name}（{type}）已在云上被删除，而代码仍声明它；`govcloud repair {stack}` 会重建（数据卷须从备份恢复）",
                               "{name} ({type}) was deleted in the cloud but the code still declares it; "
                               "`govcloud repair {stack}` makes it again (a data volume comes back from its backup)"),
    "drift-changed": ("{name}（{type}）在云上被改动：{properties}；`govcloud apply --refresh` 会改回代码中的值",
                      "{name} ({type}) was changed in the cloud: {properties}; `govcloud apply --refresh` puts back "
                      "what the code says"),
    "drift-unmanaged": ("安全组 {group} 中有一条申请未列出的规则 {rule}（{id}），是在代码之外添加的；"
                        "`govcloud apply` 会删除它，需要开放请提交变更申请",
                        "security group {group} has a rule no request lists, {rule} ({id}), added outside the code; "
                        "`govcloud apply` removes it; to open it, file a change request"),
    "repair-no-request": ("request_specs/ 下没有任何申请生成名为 {stack} 的栈",
                          "no request under request_specs/ makes a stack named {stack}"),
    "repair-missing-resource": ("{name}（{kind}）已在云上被删除", "{name} ({kind}) was deleted in the cloud"),
    "empty-container": ("对象存储容器 {name} 重建后将是空的；govcloud 不备份对象存储，原容器的数据只能由部门自行恢复",
                        "Swift container {name} would be made again empty; govcloud keeps no backup of object storage: "
                        "its data can only come back from the department's own copy"),
    "empty-share": ("文件共享 {name} 重建后将是空的；govcloud 不备份文件共享，原共享的数据只能由部门自行恢复",
                    "file share {name} would be made again empty; govcloud keeps no backup of file shares: its data "
                    "can only come back from the department's own copy"),
    "old-volume-kept": ("原卷 {old} 仍在已删除的项目 {project} 下",
                        "the old volume {old} is still there under the deleted project {project}"),
    "old-volume-gone": ("原卷 {old} 已被删除", "the old volume {old} was deleted"),
    "empty-volume-backup": ("数据卷 {name} 重建后将是空卷；{where}；最近的备份为 {backup}（{backup_name}，{created}），请先从该备份恢复",
                            "data volume {name} would be made again empty; {where}; its latest backup is {backup} "
                            "({backup_name}, {created}): restore from it"),
    "empty-volume-no-backup": ("数据卷 {name} 重建后将是空卷；{where}；该卷没有任何备份",
                               "data volume {name} would be made again empty; {where}; no backup of it exists"),
    "data-at-risk": ("{risk}；确认后以 govcloud repair --allow-empty-data 继续（art19/art25）",
                     "{risk}; once decided, go on with govcloud repair --allow-empty-data (art19/art25)"),
    # stack_actions.py
    "no-request-for-system": ("request_specs/ 下没有系统 {system} 的申请文件",
                              "no request spec under request_specs/ is for system {system}"),
    # intake.py: requests the ledger does not let run (art14, art15, art18)
    "intake-refused": ("{path}: {reason}", "{path}: {reason}"),
    "intake-unrecorded": ("台账中没有申请 {request}（{system}）：本云只为台账中的系统建堆栈（第十四、十五条）。"
                          "请先登记并由信息办受理：govcloud lifecycle submit {path}，govcloud lifecycle accept {request}，"
                          "再由 govcloud reconcile 建试用环境；若该系统的堆栈已在运行，用 govcloud adopt 纳入台账",
                          "the ledger has no request {request} ({system}): on this cloud govcloud builds stacks only for "
                          "systems the ledger knows (art14, art15). Record it and have the office accept it: govcloud "
                          "lifecycle submit {path}, govcloud lifecycle accept {request}, then govcloud reconcile makes its "
                          "trial; if its stack already runs, govcloud adopt records it"),
    "intake-unrecorded-change": ("{system} 在台账中的申请是 {running}，{request} 是未登记的变更申请："
                                 "请先 govcloud lifecycle submit {path} 并由信息办受理（第十八条）",
                                 "{system} runs request {running} in the ledger; {request} is a change request not "
                                 "recorded yet: govcloud lifecycle submit {path}, then the office accepts it (art18)"),
    "intake-awaiting": ("申请 {request} 尚待信息办受理（第十五条）：govcloud lifecycle accept {request}",
                        "request {request} awaits the office's decision (art15): govcloud lifecycle accept {request}"),
    "intake-needs-change-request": ("{system} 已上线，申请 {request} 的内容已被修改：变更须以新的申请编号提交变更申请"
                                    "（第十八条），govcloud lifecycle submit 或合并请求",
                                    "{system} is in production and request {request} was edited: a change needs a change "
                                    "request with a new request id (art18), by govcloud lifecycle submit or a merge request"),
    "intake-ledger-spec-unreadable": ("{system} 台账中申请 {request} 的副本按当前版本的 govcloud 无法读取（{error}），"
                                      "无法判断申请文件是否被修改：缺少一次台账迁移，未执行任何操作，请报告此问题",
                                      "the ledger's copy of request {request} ({system}) does not read under this "
                                      "version of govcloud ({error}), so whether its file was edited cannot be told: a "
                                      "ledger migration is missing; nothing was done: report it"),
    "intake-ended": ("申请 {request} 已结束（{how}），不再建堆栈：如需继续请以新的申请编号提交",
                     "request {request} has ended ({how}): nothing is built for it; a new request id is needed"),
    # merge_apply.py: what `govcloud apply --base` did with each changed spec
    "not-done": ("未执行：{reasons}", "not done: {reasons}"),
    "finding-coded": ("{code} {finding}", "{code} {finding}"),
    "trial-exists": ("{system}: 申请 {request} 已受理，当前状态 {state}，无需再建试用环境",
                     "{system}: request {request} already accepted, now {state}: no trial to create"),
    "trial-created": ("{system}: 申请 {request} 已受理，试用环境已创建（第十五、十六条）",
                      "{system}: request {request} accepted and its trial created (art15, art16)"),
    "change-already-done": ("{system}: 变更 {request} 已完成", "{system}: change {request} already done"),
    "minor-applied": ("{system}: 一般变更 {request} 已批准并完成（第十八条）",
                      "{system}: minor change {request} approved and applied (art18)"),
    "major-recorded": ("{system}: 重大变更 {request} 已受理为新一代系统，试用、验收、上线按完整流程由 reconcile 办理（第十八条）",
                       "{system}: major change {request} accepted as a new generation; its trial, acceptance and "
                       "go-live follow the whole flow through reconcile (art18)"),
    "acceptance-recorded": ("{party} 验收 {result}", "{party} acceptance {result}"),
    "trial-extended": ("延期 {days} 天", "extended {days} day(s)"),
    "trial-updated": ("试用环境已按申请调整", "trial environment updated"),
    "trial-matches": ("试用环境与申请一致", "trial environment matches the spec"),
    "trial-nothing": ("试用期内无需操作", "nothing to do in trial"),
    "trial-step": ("{system}: {done}（第十六条）", "{system}: {done} (art16)"),
    "termination-recorded": ("{system}: 终止申请 {request} 已确认：由终止流程先备份迁移数据再下线（第十九条），本次未删除任何资源",
                             "{system}: termination {request} confirmed: the termination flow backs up and migrates the "
                             "data, then takes the system offline (art19); nothing was destroyed here"),
    "nothing-changed": ("无资源或生命周期变化", "no resource or lifecycle change"),
    # plan.py: the merge request's own findings and its previews
    "request-id-duplicate": ("申请编号 {request} 已被 {path} 使用", "request number {request} is already used by {path}"),
    "owners-file-missing": ("没有 policies/owners.yaml：无法核对单位与审批人",
                            "no policies/owners.yaml: departments and approvers cannot be checked"),
    "owners-folder-unregistered": ("单位文件夹 request_specs/{department}/ 未在 policies/owners.yaml 登记审批组：其申请无人审批。"
                                   "请信息办登记后重新生成 CODEOWNERS",
                                   "request_specs/{department}/ has no group in policies/owners.yaml: nobody would approve "
                                   "its requests. The office registers it, then regenerates CODEOWNERS"),
    "codeowners-stale": ("CODEOWNERS 与 policies/owners.yaml 及单位文件夹不一致：请运行 govcloud codeowners 并提交",
                         "CODEOWNERS does not match policies/owners.yaml and the department folders: run "
                         "`govcloud codeowners` and commit it"),
    "stack-file-stale": ("栈配置文件与申请不一致（已按申请重新生成）：请提交生成后的文件以便审阅",
                         "the stack file did not match the request (rendered again): commit the rendered file so "
                         "reviewers see it"),
    "tenant-unrenderable": ("{department} 的申请有误，无法计算其配额：{problem}",
                            "a request of {department} is invalid, so its quota cannot be computed: {problem}"),
    "tenant-not-created": ("租户栈 {tenant} 尚未创建：合并后先创建租户，再创建本系统",
                           "the tenant stack {tenant} does not exist yet: after the merge the tenant is created first, "
                           "then this system"),
    "preview-failed": ("{stack} 的 pulumi preview 失败（详见预览明细）",
                       "pulumi preview failed for {stack} (see the preview details)"),
    "preview-off": ("未运行预览（--no-preview）", "preview not run (--no-preview)"),
    # plan_comment.py: the comment's table cells (its frame is the template, templates/comment.md.j2)
    "change-added": ("新增", "added"),
    "change-modified": ("修改", "modified"),
    "change-deleted": ("删除", "deleted"),
    "change-renamed": ("改名", "renamed"),
    "action-new": ("新申请：受理并创建试用环境", "new request: accept and create the trial"),
    "action-change-minor": ("一般变更：批准后 {within}内完成", "minor change: done within {within}"),
    "action-change-major": ("重大变更：按新申请流程重新办理", "major change: the whole flow again"),
    "action-trial-update": ("试用中：试用环境随申请调整", "in trial: the trial follows the spec"),
    "action-terminate": ("终止流程：先备份，后下线", "termination flow: back up, then offline"),
    "action-nothing": ("不触发操作", "nothing to do"),
    "action-blocked": ("已阻止：{action}", "blocked: {action}"),
    "application-new": ("新建上云", "new system"),
    "application-migration": ("迁移上云", "migration"),
    "action-of-kind": ("{action}（{kind}）", "{action} ({kind})"),
    "role-tenant": ("租户", "tenant"),
    "role-system": ("系统", "system"),
    "preview-no-changes": ("无变化", "no changes"),
    # provisioner/app/data_removal.py: a tenant that failed, and its running system that could not go first
    "system-first-failed": ("{tenant}；先执行系统栈 {system}（第十八条）也失败：{reason}",
                            "{tenant}; bringing system stack {system} up first (art18) failed too: {reason}"),
    "preview-backs-up": ("{changes}；将先备份并验证、再删除受保护的数据盘 {volumes}（第十八、十九条）",
                         "{changes}; backs up and verifies, then removes the protected data volume(s) {volumes} "
                         "(art18, art19)"),
    "preview-copies": ("{changes}；将先把受保护的对象存储容器 {containers} 复制到同一项目中并验证，再删除（第十八、十九条）",
                       "{changes}; copies the protected container(s) {containers} within the same project and "
                       "verifies the copy, then removes them (art18, art19)"),
    "preview-status-failed": ("失败", "failed"),
    "preview-status-skipped": ("待租户创建后", "after the tenant"),
    "preview-status-off": ("未运行", "not run"),
    "no-price": ("无单价", "no price"),
    "cost-incomplete": ("{cost}（不完整）", "{cost} (incomplete)"),
    "basis-ledger": ("原 = 台账中运行的版本（申请 {reference}），只计变更部分",
                     "before = what runs per the ledger (request {reference}): only the change is priced"),
    "basis-stack": ("原 = 其栈配置所依据的申请文件 {reference}（台账中无其规格），只计变更部分",
                    "before = the spec its stack was rendered from, {reference} (the ledger holds no spec of it): "
                    "only the change is priced"),
})
