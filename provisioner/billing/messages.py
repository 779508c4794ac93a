"""User-facing billing texts: Chinese by default, English on request; each cites its article."""

from __future__ import annotations

from typing import Any

REGIONS = {"city": ("市本级", "city"), "lianxi": ("濂溪区", "Lianxi"), "xunyang": ("浔阳区", "Xunyang"),
           "chaisang": ("柴桑区", "Chaisang"), "ruichang": ("瑞昌市", "Ruichang"), "gongqingcheng": ("共青城市", "Gongqingcheng"),
           "lushan": ("庐山市", "Lushan"), "wuning": ("武宁县", "Wuning"), "xiushui": ("修水县", "Xiushui"),
           "yongxiu": ("永修县", "Yongxiu"), "dean": ("德安县", "De'an"), "duchang": ("都昌县", "Duchang"),
           "hukou": ("湖口县", "Hukou"), "pengze": ("彭泽县", "Pengze")}

_TEXTS: dict[str, tuple[str, str]] = {
    "missing-price": ("缺少采购单价：{subject}，{period}（第二十八条）", "no procured price: {subject}, {period} (art28)"),
    "missing-prices-file": ("缺少价格目录 {subject}（第二十八条）", "no price catalogue {subject} (art28)"),
    "missing-allocation": ("无法计算分配量：{subject}（{detail}）", "allocation cannot be computed: {subject} ({detail})"),
    "missing-utilisation": ("缺少利用率计量数据：{subject}，{period}（第三十条）",
                            "no utilisation metering data: {subject}, {period} (art30)"),
    "missing-evaluation": ("缺少服务商考核录入：{subject}（{detail}，第二十九条）",
                           "no recorded provider evaluation: {subject} ({detail}, art29)"),
    "missing-prometheus": ("Prometheus 缺少计量数据：{subject}，{period}（{detail}）",
                           "no metering data in Prometheus: {subject}, {period} ({detail})"),
    "discrepancy": ("台账与 Prometheus 不一致：{series}，{start} 至 {end}：Prometheus {prometheus}，台账 {ledger}（相差 {relative}）",
                    "ledger and Prometheus disagree: {series}, {start} to {end}: Prometheus {prometheus}, "
                    "ledger {ledger} (off by {relative})"),
    "stopped": ("结算中止：{count} 项数据缺失或不一致，未出具任何金额。补齐后重新运行 govcloud bill。",
                "settlement stopped: {count} item(s) missing or in disagreement; no amount stated. "
                "Complete them and run govcloud bill again."),
    "crosscheck-ok": ("已与 Prometheus 核对：{compared} 个计数在 {periods} 个期间内一致（最大偏差 {max_relative}）",
                      "checked against Prometheus: {compared} counter(s) over {periods} period(s) agree "
                      "(largest difference {max_relative})"),
    "crosscheck-none": ("未与 Prometheus 核对（未指定 --prometheus 或 GOVCLOUD_PROMETHEUS_URL）",
                        "not checked against Prometheus (no --prometheus or GOVCLOUD_PROMETHEUS_URL)"),
    "provisional": ("{year} 年度尚未结束：用量计至 {until}，为暂估结算", "{year} is not over: usage up to {until}, a provisional settlement"),
    "region-total": ("{region}：{departments} 个单位，{systems} 个系统，结算金额 {fee} 元（考核系数 {factor}）",
                     "{region}: {departments} department(s), {systems} system(s), fee {fee} yuan (evaluation factor {factor})"),
    "grand-total": ("合计：{fee} 元", "total: {fee} yuan"),
    "written": ("已生成：{path}", "written: {path}"),
}


def text(key: str, lang: str = "zh", **values: Any) -> str:
    zh, en = _TEXTS[key]
    return (en if lang == "en" else zh).format(**values)


def region_name(code: str, lang: str = "zh") -> str:
    zh, en = REGIONS.get(code, (code, code))
    return en if lang == "en" else zh
