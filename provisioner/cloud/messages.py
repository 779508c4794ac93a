"""The words of the cloud adapter (provisioner/cloud/), in Chinese and English: what it could not do
in OpenStack, and what preflight finds the cloud lacks (art5, art15). See provisioner/words.py."""

from __future__ import annotations

from provisioner.words import Words

WORDS = Words({
    # backups.py
    "connect-project": ("无法连接项目 {project}：{reason}", "cannot connect to project {project}: {reason}"),
    "connect-cloud": ("无法连接云 {cloud}：{reason}", "cannot connect to cloud {cloud}: {reason}"),
    "backup-volumes-failed": ("备份 {system} 的云硬盘失败，未销毁任何资源：{reason}",
                              "backing up the volumes of {system} failed; nothing was destroyed: {reason}"),
    "removal-backups-unread": ("{system} 的数据盘 {volumes} 已被删除，但无法从 Cinder 读取此前被中断的执行是否已先备份：{reason}；"
                               "此类备份名以 {prefix} 开头，可按云硬盘 ID 查找（第十八条）",
                               "the data volumes {volumes} of {system} are deleted, but whether a run that was killed "
                               "had backed them up first could not be read from Cinder: {reason}; such backups are "
                               "named {prefix}..., found by volume id (art18)"),
    "backup-failed": ("备份 {name} 在 Cinder 中失败，未销毁任何资源", "backup {name} failed in Cinder; nothing was destroyed"),
    "backup-size": ("备份 {name} 为 {backup} GB，而云硬盘为 {volume} GB", "backup {name} holds {backup} GB, the volume {volume} GB"),
    "backup-no-record": ("Cinder 未给出备份 {backup} 的导出记录：{status} {answer}；未销毁任何资源",
                         "Cinder gave no export record of backup {backup}: {status} {answer}; nothing was destroyed"),
    "backup-record-incomplete": ("备份 {backup} 的导出记录不完整，未销毁任何资源",
                                 "the export record of backup {backup} is incomplete; nothing was destroyed"),
    # the same, once the volumes are gone (removal_backups): nothing to say about what was destroyed
    "backup-no-record-read": ("Cinder 未给出备份 {backup} 的导出记录：{status} {answer}",
                              "Cinder gave no export record of backup {backup}: {status} {answer}"),
    "backup-record-incomplete-read": ("备份 {backup} 的导出记录不完整", "the export record of backup {backup} is incomplete"),
    "backup-wait-timeout": ("等待{what}时超时，未销毁任何资源", "timed out waiting for {what}; nothing was destroyed"),
    "backup-of": ("备份 {name} 完成", "backup {name}"),
    "backup-volume-detached": ("云硬盘 {name} 卸载完成", "volume {name} to detach"),
    # container_copies.py
    "container-copy-failed": ("复制 {system} 的对象存储容器失败，未解除保护、未删除任何数据：{reason}",
                              "copying the containers of {system} failed; nothing was released or deleted: {reason}"),
    "container-copy-no-source": ("对象存储容器 {container} 在云上不存在，无从复制，未解除保护",
                                 "container {container} is not in the cloud: nothing to copy, nothing released"),
    "container-copy-exists": ("备份容器 {copy} 已存在且存有其他数据（{objects}），不会被覆盖；未解除保护。"
                              "请先将其移交使用单位或改名后再执行（第二十五条）",
                              "the copy container {copy} already holds other data ({objects}) and is not overwritten; "
                              "nothing was released: hand it to the unit or move it aside first (art25)"),
    "container-copy-missing": ("备份容器 {copy} 缺少或不同于源的对象：{objects}",
                               "the copy {copy} lacks objects of the source, or holds them changed: {objects}"),
    "container-copy-counts": ("容器 {container} 与其备份 {copy} 的对象数/字节数不一致：源 {source}，备份 {made}",
                              "object count/bytes of container {container} and its copy {copy} differ: "
                              "source {source}, copy {made}"),
    "container-copy-unverified": ("对象存储容器的备份未通过验证，未解除保护、未删除任何数据：{reason}",
                                  "the copy of a container was not verified; nothing was released or deleted: {reason}"),
    "container-empty-failed": ("容器已复制并验证、已解除保护，但清空源容器失败（其数据仍在源容器和备份中）：{reason}",
                               "the container was copied, verified and released, but emptying the source failed (its "
                               "data is still in the source and in the copy): {reason}"),
    # credentials.py
    "clouds-yaml-no-entry": ("clouds.yaml {path} 中没有可用的条目 {cloud}：{reason}",
                             "clouds.yaml {path} has no usable entry {cloud}: {reason}"),
    # handover_data.py
    "handover-read-failed": ("读取系统的对象存储容器和文件共享失败，未销毁任何资源：{reason}",
                             "reading the system's containers and shares failed; nothing was destroyed: {reason}"),
    # inventory.py
    "inventory-read-failed": ("无法读取云上资源以生成安全报告：{reason}", "cannot read the cloud for the security report: {reason}"),
    "accounts-read-failed": ("无法读取各单位的账号：{reason}", "cannot read the departments' accounts: {reason}"),
    # pending.py
    "pending-unknown-type": ("{urn}：中断的运行留下了一个待创建的 {type}，govcloud 无法在云上查找此类对象；"
                             "请人工核查后运行 `pulumi refresh`",
                             "{urn}: an interrupted run left a pending create of {type}, which govcloud cannot "
                             "look for in the cloud; check it by hand, then `pulumi refresh`"),
    "pending-look-failed": ("无法在云上查找 {name}（{type}）：{reason}", "cannot look for {name} ({type}) in the cloud: {reason}"),
    "pending-still-busy": ("{name}（{type}）：{ids} 在 {seconds} 秒后仍在创建中，请稍后再运行",
                           "{name} ({type}): {ids} is still being made after {seconds} s; run again later"),
    "pending-cannot-delete-kind": ("{name}（{type}）：无法删除中断的运行所创建的 {id}，请人工删除",
                                   "{name} ({type}): cannot delete {id} made by an interrupted run; delete it by hand"),
    "pending-delete-failed": ("无法删除中断的运行留下的 {id}（{name}）：{reason}",
                              "cannot delete {id} ({name}), left by an interrupted run: {reason}"),
    "pending-not-gone": ("中断的运行留下的对象在 {seconds} 秒内未被删除",
                         "an object left by an interrupted run did not go away within {seconds} s"),
    "orphan-delete-failed": ("无法删除已删除项目的 {id}（{kind}）：{reason}",
                             "cannot delete {id} ({kind}) of a deleted project: {reason}"),
    # regions.py
    "domains-failed": ("无法创建各地区的 Keystone 域：{reason}", "cannot create the regions' Keystone domains: {reason}"),
    "domains-no-answer": ("无法创建各地区的 Keystone 域：云平台没有应答：{reason}",
                          "cannot create the regions' Keystone domains: the cloud does not answer: {reason}"),
    # secgroups.py
    "rules-read-failed": ("无法读取安全组规则：{reason}", "cannot read security group rules: {reason}"),
    "rule-delete-failed": ("无法删除手工添加的安全组规则：{reason}", "cannot delete a security group rule added by hand: {reason}"),
    "project-lookup-failed": ("无法查找项目 {project}：{reason}", "cannot look up project {project}: {reason}"),
    "default-group-delete-failed": ("无法删除项目 {project} 的默认安全组：{reason}",
                                    "cannot delete the default security group of project {project}: {reason}"),
    # timeouts.py
    "cloud-timeout": ("云平台在 {timeout} 秒内没有应答：{url}（{setting}）",
                      "the cloud did not answer within {timeout} s: {url} ({setting})"),
    "cloud-refused": ("连接不上云平台：{url}", "cannot reach the cloud at {url}"),
    # preflight.py: reading the cloud
    "offer-read-failed": ("无法读取云上的规格、镜像、云硬盘类型、外部网络和服务：{reason}",
                          "cannot read the cloud's flavors, images, volume types, external networks and services: {reason}"),
    "quota-read-failed": ("无法读取项目 {project} 的配额：{reason}", "cannot read the quotas of project {project}: {reason}"),
    # preflight.py: what a request needs that the cloud lacks (cloud-missing, cloud-unsupported: art5)
    "kind-flavor": ("规格", "flavor"),
    "kind-image": ("镜像", "image"),
    "kind-volume-type": ("云硬盘类型", "volume type"),
    "service-load-balancer": ("负载均衡服务（Octavia）", "the load-balancer service (Octavia)"),
    "service-sharev2": ("文件存储服务（Manila）", "the file share service (Manila)"),
    "service-object-store": ("对象存储服务（Swift）", "the object storage service (Swift)"),
    "service-qos": ("带宽限速（Neutron QoS 扩展）", "bandwidth limits (Neutron's QoS extension)"),
    "service-not-running": ("本云没有运行{service}", "this cloud does not run {service}"),
    "cloud-unsupported": ("{what}：{reason}，本云无法建设；申请修改前不会创建任何资源",
                          "{what}: {reason}; this cloud cannot build it: nothing is created until the request changes"),
    "missing-domain": ("云上没有地区 {name!r} 的 Keystone 域：部门项目建在其地区的域中；请服务商运维执行一次 `govcloud regions`",
                       "the cloud has no Keystone domain for region {name!r}: department projects live in their "
                       "region's domain; provider ops run `govcloud regions` once"),
    "missing-external-network": ("云上没有名为 {name!r} 的外部网络：系统的路由器网关和弹性公网 IP 都接在它上面；"
                                 "请服务商建立该网络（运维：外部网络须标记为 router:external）",
                                 "the cloud has no external network named {name!r}: every system's router gateway "
                                 "and elastic IPs use it; ask the provider to create it (router:external)"),
    "missing-item": ("云上没有名为 {name!r} 的{kind}：它在采购目录中，但服务商尚未提供；请联系服务商，或改用云上已有的{kind}",
                     "the cloud offers no {kind} named {name!r} (the catalogue lists it); ask the provider, "
                     "or choose one it offers"),
    # preflight.py: room in the department's project (cloud-quota: art15)
    "measure-instances": ("云主机数", "instances"),
    "measure-cores": ("vCPU", "cores"),
    "measure-ram_mb": ("内存 (MB)", "RAM (MB)"),
    "measure-volumes": ("云硬盘数", "volumes"),
    "measure-gigabytes": ("云硬盘容量 (GB)", "volume gigabytes"),
    "quota-taken": ("，其中 {others} 被不属于任何申请的资源占用", ", {others} of it held by resources no request declares"),
    "over-quota": ("项目 {project} 在云上的{measure}配额为 {limit}{taken}，容不下本单位申请批准的 {need}："
                   "请服务商把配额恢复为批准值，或清理项目中手工创建的资源；在此之前不创建任何资源",
                   "project {project} has a {measure} quota of {limit} on the cloud{taken}: no room for the "
                   "{need} its requests were granted; ops restore the quota to the grant or remove what was "
                   "made by hand; nothing is created until then"),
})
