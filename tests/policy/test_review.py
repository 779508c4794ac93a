"""The review use case with an injected reader of department folders (no file system)."""

from __future__ import annotations

from provisioner.policy.review import review
from provisioner.policy.measures import usage
from provisioner.spec import batch
from provisioner.spec.load import Checked
from tests.policy.conftest import ROOT, TODAY, data_of, spec_of

SOCIAL = ROOT / "request_specs" / "jj-rsj" / "shebao-jb.yaml"


def test_the_spec_under_review_replaces_its_own_system_in_the_department_totals(policies) -> None:
    old = spec_of(data_of(SOCIAL))
    other_data = data_of(SOCIAL)
    other_data["metadata"].update(system="shebao-yl", request_id="JJ-2026-0042")
    other = spec_of(other_data)
    changed_data = data_of(SOCIAL)
    changed_data["resources"]["bandwidth"] = {"public_ips": 1, "internet_mbps": 350}
    changed_data["resources"]["security"]["ingress"][0]["source"] = "0.0.0.0/0"
    changed = spec_of(changed_data)
    read: list[str] = []

    def requests(code: str):
        assert code == "jj-rsj"
        return [("request_specs/jj-rsj/shebao-jb.yaml", lambda: read.append("jb") or old),
                ("request_specs/jj-rsj/shebao-yl.yaml", lambda: read.append("yl") or other)]

    result = review(batch.Report([Checked("drafts/shebao-jb.yaml", changed, [])]), policies, requests, TODAY)
    [department] = result.departments
    assert department.systems == ("shebao-jb", "shebao-yl")
    assert read == ["jb", "yl"]
    # 350 + 0 (the old shebao-jb is replaced) + 0 (shebao-yl) Mbps: above review (200 a system, 300 a
    # department), not over the caps.
    on_demand = [f for f in result.findings if f.rule.startswith("ondemand")]
    assert [(f.rule, f.text("en").split(" (")[0]) for f in on_demand] == [
        ("ondemand-department-review", "department jj-rsj would hold 350 Mbps of internet bandwidth in total"),
        ("ondemand-system-review", "the system asks for 350 Mbps of internet bandwidth in total, above 200: an "
                                   "expert review decides whether it is reasonable")]
    assert "its other requests included: shebao-yl)" in on_demand[0].text("en")
    assert department.totals["vcpus"] == 2 * usage(old, policies.catalogue).totals["vcpus"]


def test_a_file_already_checked_is_not_read_again(policies) -> None:
    spec = spec_of(data_of(SOCIAL))

    def requests(code: str):
        return [("request_specs/jj-rsj/shebao-jb.yaml", lambda: (_ for _ in ()).throw(AssertionError("read")))]

    checked = Checked("request_specs/jj-rsj/shebao-jb.yaml", spec, [])
    assert review(batch.Report([checked]), policies, requests, TODAY).ok
