"""The JSON Schema of a request spec, for editors (yaml-language-server) and peer tools.

It is generated from the model, and a copy is checked in at SCHEMA_FILE (a test
keeps the two equal), so an editor completes keys and shows the Chinese terms
without running govcloud. It says what the model says; the checks across
fields (completeness, approvals) and the YAML traps need `govcloud validate`.
"""

from __future__ import annotations

import json
from typing import Any

from provisioner.spec.model import RequestSpec

SCHEMA_FILE = "request_specs/request-spec.schema.json"   # relative to the repository root
SCHEMA_ID = "https://govcloud.jiujiang.gov.cn/schemas/request-spec.v1.json"


def json_schema() -> dict[str, Any]:
    schema = RequestSpec.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
