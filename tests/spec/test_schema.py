"""The JSON Schema for editors: checked in, in sync with the model, and accepted by a peer tool."""

from __future__ import annotations

import json
import subprocess

from provisioner.spec.schema import SCHEMA_FILE, json_schema, schema_text
from tests.spec.conftest import CASES, ROOT, SAMPLES


def test_checked_in_schema_is_what_the_model_exports() -> None:
    # After changing the model: .venv/bin/govcloud schema -o request_specs/request-spec.schema.json
    assert (ROOT / SCHEMA_FILE).read_text(encoding="utf-8") == schema_text()


def test_schema_describes_the_request_in_both_languages() -> None:
    schema = json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["required"] == ["apiVersion", "kind", "metadata", "applicant", "application", "resources"]
    applicant = schema["$defs"]["Applicant"]["properties"]
    assert applicant["region"]["enum"][:3] == ["city", "xunyang", "lianxi"]
    assert "预算单位级次" in applicant["budget_level"]["description"]
    assert schema["$defs"]["Applicant"]["additionalProperties"] is False


def test_check_jsonschema_accepts_the_samples_and_rejects_a_shape_error() -> None:
    peer = [str(ROOT / ".venv/bin/check-jsonschema"), "--schemafile", str(ROOT / SCHEMA_FILE)]
    ok = subprocess.run(peer + [str(p) for p in SAMPLES], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = subprocess.run(peer + [str(CASES / "invalid" / "choices.yaml")], capture_output=True, text=True)
    assert bad.returncode == 1
    assert "xiushiu" in bad.stdout + bad.stderr
    assert json.loads((ROOT / SCHEMA_FILE).read_text(encoding="utf-8"))["$id"].endswith("request-spec.v1.json")
