"""The words of the stacks adapter (provisioner/stacks/): the Pulumi engine's failures and the
stack locks' verdicts, in Chinese and English. See provisioner/words.py."""

from __future__ import annotations

from provisioner.words import Words

WORDS = Words({
    # engine.py
    "cli-does-not-run": ("{path} 处的 Pulumi CLI 无法运行：{reason}", "the Pulumi CLI at {path} does not run: {reason}"),
    "stack-open-failed": ("无法打开栈 {stack}：{reason}", "cannot open stack {stack}: {reason}"),
    "stack-create-failed": ("无法创建栈 {stack}：{reason}", "cannot create stack {stack}: {reason}"),
    "state-rewrite-failed": ("无法改写栈 {stack} 的状态：\n{reason}", "cannot rewrite the state of stack {stack}:\n{reason}"),
    "state-read-failed": ("无法读取栈 {stack} 的状态：\n{reason}", "cannot read the state of stack {stack}:\n{reason}"),
    "unprotect-failed": ("无法解除栈 {stack} 中的保护：\n{reason}", "cannot lift protection in stack {stack}:\n{reason}"),
    "unprotect-one-failed": ("无法解除栈 {stack} 中 {urn} 的保护：\n{reason}",
                             "cannot lift protection of {urn} in stack {stack}:\n{reason}"),
    "stack-lookup-failed": ("无法查找栈 {stack}：{reason}", "cannot look up stack {stack}: {reason}"),
    "stacks-list-failed": ("无法列出栈：{reason}", "cannot list the stacks: {reason}"),
    "stack-remove-failed": ("无法删除栈 {stack}：{reason}", "cannot remove stack {stack}: {reason}"),
    "stack-failed": ("栈 {stack} 的 pulumi {operation} 失败：{reason}{where}",
                     "pulumi {operation} failed for stack {stack}: {reason}{where}"),
    "full-output": ("（Pulumi 的完整输出：{log}）", " (Pulumi's full output: {log})"),
    "data-at-risk": ("data-at-risk：数据盘 {volumes} 已在云上被删除，重建后将是空盘；"
                     "`govcloud repair {stack}` 会指出其备份（第十九条、第二十五条）",
                     "data-at-risk: data volume {volumes} was deleted in the cloud and would come back empty; "
                     "`govcloud repair {stack}` names its backup (art19, art25)"),
    "data-made-anew": ("data-made-anew：本次变更需重建数据盘或对象存储容器 {volumes}（如缩小容量），新建的为空；数据盘和容器不能原地重建。"
                       "请保持其容量与类型，或新增一块数据盘（一个容器）迁移数据后再删除旧的（第十八条）",
                       "data-made-anew: the change would make data volume or container {volumes} anew (a smaller size, "
                       "for one), empty; a data volume or container is never made anew in place: keep its size and type, "
                       "or add a new disk (bucket), move the data, then drop the old one (art18)"),
    "data-share-removed": ("data-share-removed：本次变更删除生产环境的文件共享 {shares}。其数据属于使用单位（第二十五条），"
                           "而本云无法备份文件共享（无快照、无共享备份），govcloud 不会删除它：它仍受保护，未删除任何数据。"
                           "请使用单位先自行导出其数据（同系统终止时的导出，第十九条），再由云服务商手工解除这一个资源的保护："
                           "{commands}；之后再次执行，变更即可完成（第十八条）",
                           "data-share-removed: the change removes production file share {shares}. Its data belongs to "
                           "the unit (art25) and this cloud cannot back up a share (no snapshots, no share backups), so "
                           "govcloud does not delete it: it stays protected and no data was deleted. The unit "
                           "first exports its data itself (as at termination, art19); then the provider lifts the "
                           "protection of that one resource by hand: {commands}; run again and the change goes through "
                           "(art18)"),
    "pending-settled": ("{stack}：{decision}", "{stack}: {decision}"),
    "sidecar-removed": ("状态后端中 {object} 的属性文件为空（一次被终止的运行在写入时留下），已删除：Pulumi 无需它即可读取状态",
                        "the attributes file of {object} in the state backend was empty (left by a run killed while "
                        "writing it) and is removed: Pulumi reads the state without it"),
    # progress.py: the lines an apply of many stacks writes as it goes
    "progress-running": ("仍在运行：{stacks}", "running: {stacks}"),
    "progress-failed": ("失败：{failure}", "failed: {failure}"),
    "progress-nothing": ("无变更", "nothing"),
    "progress-backed-up": ("{changes}；删除前已备份并验证数据盘 {volumes}（第十八、十九条）",
                           "{changes}; data volume(s) backed up and verified before removal: {volumes} (art18, art19)"),
    "progress-copied": ("{changes}；删除前已复制并验证对象存储容器 {containers}（第十八、十九条）",
                        "{changes}; container(s) copied and verified before removal: {containers} (art18, art19)"),
    # locks.py
    "lock-holder": ("{user}@{host}，进程 {pid}，{at} 加锁", "{user}@{host}, pid {pid}, since {at}"),
    "lock-holder-unknown": ("未知", "unknown"),
    "stack-locked": ("栈 {stack} 正被另一次运行锁定（{who}），等待 {waited} 秒后仍未释放。"
                     "请待其结束后重试；若该运行已被终止，执行 govcloud unlock {stack} 清除遗留的锁",
                     "stack {stack} is locked by another run ({who}); still locked after waiting {waited} s. "
                     "Retry once it ends; if that run was killed, clear its stale lock with `govcloud unlock {stack}`"),
    "lock-waiting": ("{stack} 正被另一次运行锁定（{who}），最多等待 {wait} 秒",
                     "{stack} is locked by another run ({who}): waiting up to {wait} s"),
    "unlock-scheme": ("govcloud unlock 只支持 file:// 和 s3:// 状态后端，不支持 {scheme}://",
                      "govcloud unlock knows file:// and s3:// state backends, not {scheme}://"),
    "lock-gone": ("已清除 {stack} 的遗留锁：{user}@{host} 的进程 {pid}（{at} 加锁）已不存在",
                  "removed the stale lock of {stack}: {user}@{host} pid {pid} (locked {at}) is gone"),
    "lock-took-over-gone": ("已接管并清除 {stack} 的遗留锁：{user}@{host} 的进程 {pid}（{at} 加锁）已不存在",
                            "took over and removed the stale lock of {stack}: {user}@{host} pid {pid} (locked {at}) is gone"),
    "lock-forced": ("已强制清除 {stack} 的锁（{holder}）", "removed the lock of {stack} held by {holder} (--force)"),
    "lock-expired": ("已清除 {stack} 的遗留锁：另一台主机上的 {holder} 已不再续租（或从未续租且已超过 {hours} 小时）",
                     "removed the stale lock of {stack}: {holder} on another host stopped renewing its lease "
                     "(or never had one and is older than {hours} h)"),
    "lock-took-over-expired": ("已接管并清除 {stack} 的遗留锁：另一台主机上的 {holder} 已不再续租（或从未续租且已超过 {hours} 小时）",
                               "took over and removed the stale lock of {stack}: {holder} on another host stopped "
                               "renewing its lease (or never had one and is older than {hours} h)"),
    "lock-leased": ("保留 {stack} 的锁：{host} 上的运行（{holder}）仍在续租，请等待其结束",
                    "kept the lock of {stack}: the run on {host} ({holder}) still renews its lease; wait for it to end"),
    "lock-alive": ("保留 {stack} 的锁：本机进程 {pid}（{holder}）仍在运行，请等待其结束",
                   "kept the lock of {stack}: pid {pid} on this host ({holder}) is still running; wait for it to end"),
    "lock-elsewhere": ("保留 {stack} 的锁：它来自另一台主机（{holder}），无法判断该运行是否仍在进行；"
                       "确认其已结束后，执行 govcloud unlock {stack} --force",
                       "kept the lock of {stack}: it comes from another host ({holder}) and govcloud cannot tell "
                       "whether that run is still going; once you know it has ended, run "
                       "`govcloud unlock {stack} --force`"),
    # processes.py
    "stopping": ("govcloud 正在停止：未启动 pulumi", "govcloud is stopping: pulumi was not started"),
})
