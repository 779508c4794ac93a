"""The words of metering (the exporter's reads of the cloud), in Chinese and English. See provisioner/words.py."""

from __future__ import annotations

from provisioner.words import Words

WORDS = Words({
    # cloud_api.py: the clouds.yaml entry the exporter reads the cloud with
    "clouds-entry-unusable": ("clouds.yaml {file} 中没有可用的条目 {cloud}：{error}",
                              "clouds.yaml {file} has no usable entry {cloud}: {error}"),
    "clouds-entry-auth": ("clouds.yaml {file} 的条目 {cloud}：认证信息须包含 auth_url、username 和 password",
                          "clouds.yaml {file} entry {cloud}: auth needs auth_url, username and password"),
    # openstack_reads.py, openstack_use.py: the cloud did not answer as it should
    "cloud-read-failed": ("读取 OpenStack 失败：{error}", "OpenStack read failed: {error}"),
    "nova-usage-refused": ("Nova os-simple-tenant-usage 返回 {status}：{body}",
                           "Nova os-simple-tenant-usage answered {status}: {body}"),
})
