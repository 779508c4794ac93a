"""User-facing lifecycle texts (WORDS, see provisioner/words.py): Chinese by default, English on
request; each cites its article. Beside them, the small tables naming phases, parties and measures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from provisioner.calendar import SHANGHAI
from provisioner.lifecycle.removed_data import removed_records
from provisioner.words import Words, listing, placeholders

# How people name a phase (lifecycle.states.State) and a party (lifecycle.duty): (Chinese, English).
PHASES = {"submitted": ("待受理", "submitted"), "accepted": ("已受理", "accepted"), "rejected": ("未通过", "rejected"),
          "trial": ("试用", "trial"), "production": ("生产", "production"), "changing": ("变更中", "changing"),
          "terminating": ("终止中", "terminating"), "handover": ("待确认数据移交", "awaiting hand-over"),
          "terminated": ("已终止", "terminated")}
# The measures a change's growth is judged by (lifecycle/classify.py).
MEASURES = {"instances": ("主机台数", "instances"), "vcpus": ("vCPU", "vcpus"), "ram_gb": ("内存 GB", "ram_gb"),
            "data_disk_gb": ("数据盘 GB", "data_disk_gb")}
PARTIES = {"office": ("信息办", "office"), "provider": ("云服务商", "provider"), "department": ("使用单位", "department")}
RESULTS = {"passed": ("通过", "passed"), "failed": ("未通过", "failed")}       # an acceptance verdict (art16)
# The data a unit exports itself before a hand-over (lifecycle/handover.py).
EXPORT_KINDS = {"swift-container": ("对象存储容器", "Swift container"), "manila-share": ("文件共享", "Manila share")}
# The ledger events whose step backed up data volumes before removing them (art18), as a hand-over
# record names them (lifecycle/handover.py removed_by_changes).
REMOVING_STEPS = {"apply_change_done": ("变更", "the change"),
                  "create_trial_done": ("重大变更的试用环境创建", "the trial creation of a major change"),
                  "promote_done": ("重大变更的上线", "the go-live of a major change"),
                  "action_failed": ("备份并解除保护后失败的一次执行", "an up that failed after backing up and releasing the volume")}


def phase_name(state: str, lang: str = "zh") -> str:
    return PHASES.get(state, (state, state))[lang == "en"]


def party_names(parties: tuple[str, ...] | list[str], lang: str = "zh") -> str:
    return listing((PARTIES[p][lang == "en"] if p in PARTIES else p for p in parties), lang)


WORDS = Words({
    # errors
    "not-allowed": ("{system}: 当前状态为 {state}，不能执行 {step}（允许的状态：{allowed}）",
                    "{system}: cannot {step} in state {state} (allowed in: {allowed})"),
    "not-in-state": ("{system}: {action} 须在 {expected} 状态下完成，当前为 {state}",
                     "{system}: {action} completes only in state {expected}, not {state}"),
    "promote-needs-both": ("{system}: 使用单位与云服务商均确认验收后方可上线，尚缺：{missing}（第十六、十七条）",
                           "{system}: goes live only after both the department and the provider accept; "
                           "missing: {missing} (art16, art17)"),
    "promote-before-trial-end": ("{system}: 试用期至 {trial_end} 才结束；提前上线须先由使用单位登记"
                                 "（govcloud lifecycle early-go-live）（第十六、十七条）",
                                 "{system}: the trial runs until {trial_end}; going live earlier needs the department's "
                                 "early go-live recorded first (govcloud lifecycle early-go-live) (art16, art17)"),
    "extension-days": ("试用延期天数须为 1 至 {most} 天，而非 {days}（第十六条）",
                       "a trial extension is 1 to {most} days, not {days} (art16)"),
    "reason-too-short": ("{step}: 理由至少 {minimum} 个字符（不含首尾空白），与申请文件中的规则相同",
                         "{step}: a reason needs at least {minimum} characters besides surrounding blanks, "
                         "as in a request spec"),
    "handover-unconfirmed": ("{system}: 使用单位尚未确认数据移交记录，不能销毁其资源（第二十五条：应用及其数据归使用单位所有）；"
                             "由使用单位查看 govcloud lifecycle handover show {system}，"
                             "确认后执行 govcloud lifecycle handover confirm {system} --by <姓名>",
                             "{system}: the unit has not confirmed the hand-over record of its data: its stack is "
                             "not destroyed (art25: the applications and their data belong to the unit); the unit reads "
                             "govcloud lifecycle handover show {system}, then runs "
                             "govcloud lifecycle handover confirm {system} --by <name>"),
    "handover-confirmed-before": ("{system}: 数据移交记录已确认过（第二十五条）",
                                  "{system}: the hand-over record was confirmed already (art25)"),
    "handover-by-missing": ("{system}: --by 须写明确认移交的使用单位人员（第二十五条）",
                            "{system}: --by names the unit's person who confirms the hand-over (art25)"),
    "handover-none": ("{system}: 台账中没有数据移交记录：终止流程备份完成后才生成（第十九、二十五条）",
                      "{system}: no hand-over record in the ledger: termination writes it once the backups are "
                      "verified (art19, art25)"),
    "unknown-system": ("台账中没有系统 {system}", "no system {system} in the ledger"),
    "unknown-request": ("台账中没有申请 {request}", "no request {request} in the ledger"),
    "duplicate-request": ("申请 {request} 已登记（{state}）", "request {request} is already recorded ({state})"),
    "system-busy": ("{system}: 已有进行中的申请 {request}，须先完成", "{system}: request {request} is still in progress"),
    "request-decided": ("申请 {request} 已处理（{decision}）", "request {request} was already decided ({decision})"),
    "no-production": ("{system}: 没有运行中的生产环境，无法变更或终止", "{system}: no production generation to change or terminate"),
    "already-recorded": ("{system}: 申请 {request} 已在台账中，未重复登记", "{system}: request {request} is already recorded"),
    "already-recorded-edited": ("{system}: 申请 {request} 已在台账中，但 {path} 已被修改：试用期内用 govcloud apply {path} "
                                "使试用环境随之调整；已上线的须以新的申请编号提交变更申请（第十八条）",
                                "{system}: request {request} is recorded, but {path} was edited since: in trial, "
                                "govcloud apply {path} brings the trial to it; in production a change needs a change "
                                "request with a new request id (art18)"),
    "already-recorded-unreadable": ("{system}: 申请 {request} 已在台账中，但台账里的申请副本按当前版本的 govcloud 无法读取"
                                    "（{error}）：缺少一次台账迁移，台账保持原样，请报告此问题",
                                    "{system}: request {request} is recorded, but the ledger's copy of it does not read "
                                    "under this version of govcloud ({error}): a ledger migration is missing; the "
                                    "ledger is left as it is: report it"),
    "accept-dev-only": ("--accept 只用于开发云：云 {cloud} 上由信息办以 govcloud lifecycle accept 受理（第十五条）",
                        "--accept is for the development cloud only: on cloud {cloud} the office accepts with "
                        "govcloud lifecycle accept (art15)"),
    "recorded-on-dev-cloud": ("{system}: 开发云：申请 {request} 已登记并由 {actor} 代信息办受理，试用环境随即创建",
                              "{system}: development cloud: request {request} recorded and accepted by {actor} for "
                              "the office; its trial is made now"),
    "concurrent-update": ("{system}: 台账记录已被他人更新，请重试", "{system}: the ledger row changed meanwhile; retry"),
    # events, as reported by reconcile and `lifecycle show`
    "ev-submitted": ("{system}: 申请已受理登记，信息办须在 {deadline} 前答复（第十五条）",
                     "{system}: request recorded; the office must answer by {deadline} (art15)"),
    "ev-accepted": ("{system}: 申请已通过，云服务商须在 {trial_ready_by} 前备好试用环境（第十六条）",
                    "{system}: request accepted; the provider must prepare the trial by {trial_ready_by} (art16)"),
    "ev-rejected": ("{system}: 申请未通过（第十五条）", "{system}: request rejected (art15)"),
    "ev-deadline_missed": ("{system}: 已超过 {rule} 规定的期限 {deadline}", "{system}: deadline {deadline} of {rule} missed"),
    "ev-trial_held": ("{system}: 试用期已满但尚未双方确认验收，暂不上线（第十六条）",
                      "{system}: trial over without both acceptances: held, not promoted (art16)"),
    "ev-intent_recorded": ("{system}: 未执行：GOVCLOUD_RECONCILE_ENGINE=none，仅记录待办操作 {action}，"
                           "由云服务商手工完成后以 govcloud lifecycle done 登记",
                           "{system}: not done: GOVCLOUD_RECONCILE_ENGINE=none records the intent to {action} only; "
                           "the provider does it by hand and records it with govcloud lifecycle done"),
    "ev-create_trial_done": ("{system}: 试用环境已就绪，试用期至 {trial_end}（第十六条）",
                             "{system}: trial environment ready; the trial ends {trial_end} (art16)"),
    "ev-promote_done": ("{system}: 试用环境已转为生产环境（第十七条）",
                        "{system}: the trial environment became production (art17)"),
    "ev-apply_change_done": ("{system}: 变更已完成（第十八条）", "{system}: change completed (art18)"),
    # After a step whose up removed protected data volumes (provisioner/app/data_removal.py).
    "data-removed-backed-up": ("变更删除的数据盘 {volumes} 已先备份并验证（备份 {backups}），数据可据此恢复（第十八、十九条）",
                               "the change removed data volume(s) {volumes}, each backed up and verified first "
                               "(backup {backups}): the data can be restored from it (art18, art19)"),
    # After a step that failed once it had backed up and released them (their removal may be still to come).
    "data-released-backed-up": ("数据盘 {volumes} 已备份并验证（备份 {backups}），已解除保护，下次执行时删除；数据可据此恢复（第十八、十九条）",
                                "data volume(s) {volumes} backed up and verified (backup {backups}), released for "
                                "removal by the next run: the data can be restored from it (art18, art19)"),
    "data-removed-copied": ("变更删除的对象存储容器已先复制到同一项目并验证（{containers}），数据可据此恢复（第十八、十九、二十五条）",
                            "the change removed container(s), each copied within the project and verified first "
                            "({containers}): the data can be restored from the copy (art18, art19, art25)"),
    "data-released-copied": ("对象存储容器已复制并验证（{containers}），已解除保护，下次执行时删除；数据可据此恢复（第十八、十九、二十五条）",
                             "container(s) copied and verified ({containers}), released for removal by the next run: "
                             "the data can be restored from the copy (art18, art19, art25)"),
    "ev-terminate_done": ("{system}: 数据已移交使用单位，资源已销毁，服务已终止（第十九、二十五条）",
                          "{system}: data handed over to the unit, resources destroyed, service ended (art19, art25)"),
    "ev-action_failed": ("{system}: 执行 {action} 失败：{error}", "{system}: {action} failed: {error}"),
    "ev-action_started": ("{system}: 开始执行 {action}", "{system}: {action} started"),
    "ev-change_started": ("{system}: 变更已批准，须在 {deadline} 前完成（第十八条）",
                          "{system}: change approved; due by {deadline} (art18)"),
    "ev-change_submitted": ("{system}: 变更申请已登记，分类为 {classification}（第十八条）",
                            "{system}: change request recorded, classified {classification} (art18)"),
    "ev-termination_submitted": ("{system}: 终止申请已登记：{reason}（第十九条）",
                                 "{system}: termination request recorded: {reason} (art19)"),
    "ev-termination_started": ("{system}: 终止已确认，先备份迁移数据再下线（第十九条）",
                               "{system}: termination confirmed: back up and migrate data, then take offline (art19)"),
    "ev-back_up_done": ("{system}: 数据已备份并验证，数据移交记录已生成，待使用单位确认后下线（第十九、二十五条）",
                        "{system}: data backed up and verified; the hand-over record awaits the unit's confirmation "
                        "before anything is destroyed (art19, art25)"),
    "ev-handover_confirmed": ("{system}: 使用单位（{by}）已确认数据移交记录，可以下线（第二十五条）",
                              "{system}: the unit ({by}) confirmed the hand-over record; it may be taken offline "
                              "(art25)"),
    "ev-superseded": ("{system}: 第 {by_generation} 代已上线，本代由其取代（重大变更，第十八条），不再计费",
                      "{system}: generation {by_generation} went live and replaces this one (major change, art18); "
                      "no longer billed"),
    "ev-terminated": ("{system}: 服务已终止（第十九条）", "{system}: service ended (art19)"),
    "ev-acceptance_recorded": ("{system}: {party}验收结论：{result}（第十六条）",
                               "{system}: the {party}'s acceptance verdict: {result} (art16)"),
    "ev-early_go_live_recorded": ("{system}: 使用单位登记提前上线，双方验收通过后即转为生产环境（第十七条）",
                                  "{system}: the department recorded an early go-live: production as soon as "
                                  "both have accepted (art17)"),
    "ev-adopted": ("{system}: 已按现有堆栈及其标签纳入台账（阶段 {phase}，自 {started_at}），未重建任何资源",
                   "{system}: adopted from its stack and labels (phase {phase}, since {started_at}); nothing rebuilt"),
    "ev-spec_updated": ("{system}: 试用期内的申请内容已更新，按新内容调整试用环境（第十六条）",
                        "{system}: the request was updated during the trial; the trial follows it (art16)"),
    "ev-trial_extended": ("{system}: 试用期已延长至 {trial_end}（第十六条）",
                          "{system}: trial extended to {trial_end} (art16)"),
    # change classification (art18, lifecycle/classify.py)
    "change-major": ("重大变更：按新申请流程重新办理（第十八条）", "major change: the whole application flow again (art18)"),
    "change-minor": ("一般变更：批准后 {within}内完成（第十八条）",
                     "minor change: to be completed within {within} of approval (art18)"),
    "reason-no-major-rule": ("未触发任何重大变更规则", "no major-change rule matched"),
    "reason-new-kind": ("新增资源类型 {kind}", "new resource kind {kind}"),
    "reason-host-field": ("主机 {host} 的 {name} 由 {before} 改为 {after}", "host {host}: {name} changed from {before} to {after}"),
    "reason-growth-unmeasurable": ("规格 {flavors} 不在服务目录中，无法度量增长",
                                   "flavor(s) {flavors} not in the catalogue: growth cannot be measured"),
    "reason-growth": ("{measure} 由 {before} 增至 {after}（+{grown}，超过 {limit}%）",
                      "{measure} grows from {before} to {after} (+{grown}, over {limit}%)"),
    "reason-unmeasured": ("资源 {section} 发生了无法度量的变更", "resources.{section} changed in a way no rule measures"),
    # go-live (art16, art17, lifecycle/golive.py)
    "golive-rule": ("试用 {days} 天（第十六条，确有需要可延期）期满，且使用单位与云服务商双方均已验收通过，试用环境即转为生产环境"
                    "（第十六、十七条），自此计费；使用单位登记提前上线的，双方验收通过后即可上线；期满仍缺一方验收的暂缓上线并告警，不删除资源",
                    "after the {days}-day trial (art16, extendable where truly needed), once both the department and the "
                    "provider have accepted, the trial environment becomes production (art16, art17) and billing starts; "
                    "earlier only if the department records an early go-live, still after both acceptances; a trial that "
                    "ends with an acceptance missing is held and alerted, never destroyed"),
    # reconcile
    "reconcile-busy": ("另一个 reconcile 正在运行（{holder}，租约至 {until}），本次不做任何操作",
                       "another reconcile is running ({holder}, lease until {until}); this one did nothing"),
    "reconcile-summary": ("reconcile：检查 {checked} 个系统，执行完成 {done} 项，仅记录 {recorded} 项，失败 {failed} 项，"
                          "不确定期限 {uncertain} 个",
                          "reconcile: {checked} system(s) checked, {done} step(s) done, {recorded} recorded only, "
                          "{failed} failed, {uncertain} uncertain deadline(s)"),
    "change-summary": ("{head}：{reasons}", "{head}: {reasons}"),
    # the hand-over record (art25, lifecycle/handover.py), as `govcloud lifecycle handover show` prints it
    "record-title": ("{system} 数据移交记录（第二十五条：应用及其数据归使用单位所有）",
                       "{system} hand-over record (art25: the applications and their data belong to the unit)"),
    "record-made": ("生成于 {made_at}，终止申请 {request_id}，记录 sha256 {sha}",
                      "made {made_at}, termination request {request_id}, record sha256 {sha}"),
    "record-kept": ("服务商保留以下备份至 {kept_until}（{days} 天，{policy}）",
                      "the provider keeps these backups until {kept_until} ({days} days, {policy})"),
    "record-backup": ("  云硬盘 {volume_name}（{volume_id}）的备份 {backup_id}：{size_gb} GB，{checksum}，存放于 {location}",
                        "  backup {backup_id} of volume {volume_name} ({volume_id}): {size_gb} GB, {checksum}, kept in "
                        "{location}"),
    "record-covers": ("  校验值说明：Cinder 不提供备份数据的校验值；以上 sha256 计算自备份的导出记录（cinder backup-export，"
                        "可在其他云上 cinder backup-import），用于确认所交付的是哪一个备份，不覆盖备份内的数据",
                        "  checksums: Cinder gives none for a backup's data; each sha256 above is computed over the "
                        "backup's export record (cinder backup-export, imported elsewhere with cinder backup-import): it "
                        "names the backup handed over, not the bytes inside it"),
    "record-no-backups": ("  （无云硬盘备份）", "  (no volume backups)"),
    "record-removed": ("此前经批准的变更删除数据盘或对象存储容器前所做的备份与副本（第十八条；数据归使用单位所有，第二十五条），"
                       "同样保留至 {kept_until}：",
                       "backups and copies made by earlier approved changes before they removed data volumes or "
                       "containers (art18; the data is the unit's, art25), kept until {kept_until} as well:"),
    "record-removed-backup": ("  云硬盘 {volume_name}（{volume_id}）的备份 {backup_id}：{size_gb} GB，{checksum}，存放于 {location}；"
                              "由{step}（申请 {request_id}，第 {generation} 代）于 {at} 备份",
                              "  backup {backup_id} of volume {volume_name} ({volume_id}): {size_gb} GB, {checksum}, kept in "
                              "{location}; made by {step} (request {request_id}, generation {generation}) at {at}"),
    "container-copy-said": ("{container} -> {copy}（{objects} 个对象，{bytes} 字节）",
                            "{container} -> {copy} ({objects} objects, {bytes} bytes)"),
    "record-removed-copy": ("  对象存储容器 {container} 的副本 {copy}：{objects} 个对象，{bytes} 字节，已逐个核对，存放于 {location}；"
                            "由{step}（申请 {request_id}，第 {generation} 代）于 {at} 复制",
                            "  copy {copy} of container {container}: {objects} objects, {bytes} bytes, each verified, kept "
                            "in {location}; made by {step} (request {request_id}, generation {generation}) at {at}"),
    "record-by-hand": ("  备份由云服务商手工完成（未配置引擎），本记录未列出备份，须由服务商另行交付清单",
                         "  the provider backed up by hand (no engine configured): this record lists no backups; the "
                         "provider hands their list over separately"),
    "record-exports": ("以下数据不在备份之内，使用单位须在确认前自行导出，下线时随系统删除（仍有对象的容器会使销毁失败，不会被静默清空）：",
                         "not in the backups: the unit exports these itself before confirming; they are deleted when "
                         "the system is taken offline (a container still holding objects makes the destroy fail rather "
                         "than be emptied):"),
    "record-export": ("  {kind} {name}（{id}）：{size}", "  {kind} {name} ({id}): {size}"),
    "record-export-where": ("  {kind} {name}（{id}）：{size}，{where}", "  {kind} {name} ({id}): {size}, {where}"),
    "record-confirmed": ("已由使用单位 {by} 于 {at} 确认（{actor}）", "confirmed by the unit's {by} at {at} ({actor})"),
    "record-unconfirmed": ("尚待使用单位确认：govcloud lifecycle handover confirm {system} --by <姓名>；确认前不删除任何数据",
                             "awaiting the unit's confirmation: govcloud lifecycle handover confirm {system} --by <name>; "
                             "no data is deleted before"),
})


# Values some events carry under these names, shown in the reader's language.
_NAMED = {"party": PARTIES, "result": RESULTS}


def both(key: str, **values: Any) -> tuple[str, str]:
    """The sentence in Chinese and in English (for what is stored or shown in both)."""
    return WORDS.say(key, "zh", **values), WORDS.say(key, "en", **values)


def event_text(subject: str, kind: str, detail: dict[str, Any], lang: str) -> str:
    """A ledger event as people read it (reconcile's output, the status page's history)."""
    key = f"ev-{kind}"
    if key not in WORDS:
        return f"{subject}: {kind} {detail}"
    # An event may lack a detail its sentence names (an older event): say what is known rather than fail.
    values: dict[str, Any] = dict.fromkeys(placeholders(WORDS.template(key, lang)), "?")
    values.update({k: _named(k, v, lang) for k, v in detail.items()})
    # The subject is the template's {system}, whatever the detail holds under that name.
    text = WORDS.say(key, lang, **{**values, "system": subject})
    removed = detail.get("backups") if kind != "back_up_done" else None
    if removed and isinstance(removed, list):
        return text + _removed_said(removed, kind == "action_failed", lang)
    return text


def copies_said(copies: list[dict[str, Any]], lang: str = "en") -> str:
    """Each container copy as the lines and events name it: source -> copy (objects, bytes)."""
    return ("、" if lang == "zh" else ", ").join(
        WORDS.say("container-copy-said", lang, **{k: c.get(k) for k in ("container", "copy", "objects", "bytes")})
        for c in copies)


def _removed_said(removed: list[dict[str, Any]], released_only: bool, lang: str) -> str:
    """Where the data a change removed went: its volumes' backups, its containers' copies."""
    backups, copies = removed_records(removed)
    said = ""
    if backups:
        key = "data-released-backed-up" if released_only else "data-removed-backed-up"
        said += ("；" if lang == "zh" else "; ") + WORDS.say(
            key, lang, volumes=", ".join(str(b.get("volume_name")) for b in backups),
            backups=", ".join(f"{b.get('backup_name')} ({b.get('backup_id')})" for b in backups))
    if copies:
        key = "data-released-copied" if released_only else "data-removed-copied"
        said += ("；" if lang == "zh" else "; ") + WORDS.say(key, lang, containers=copies_said(copies, lang))
    return said


def _named(name: str, value: Any, lang: str) -> Any:
    """A detail as people read it: a party or a verdict by its name, a time in Asia/Shanghai."""
    if name in _NAMED and isinstance(value, str) and value in _NAMED[name]:
        return _NAMED[name][value][lang == "en"]
    return local_time(value)


def local_time(value: Any) -> str:
    """An ISO time in a detail shown in Asia/Shanghai; anything else as it is."""
    if isinstance(value, str) and "T" in value:
        try:
            return datetime.fromisoformat(value).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
        except ValueError:
            return value
    return str(value)
