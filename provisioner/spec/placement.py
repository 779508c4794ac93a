"""A request lives at request_specs/<department>/<system>.yaml: the folder is the department's.

CODEOWNERS gives each department its folder, so a spec whose department or
system differs from its place would let one department request in another's name.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from provisioner.spec.findings import Finding
from provisioner.spec.location import SPEC_FOLDER, is_misplaced, path_parts


def check_placement(sections: dict[str, Any], file: str) -> list[Finding]:
    if is_misplaced(file):
        # request_specs/<a>/sub/x.yaml: folder <a>'s owners approve it, so it may not speak for anyone.
        return [Finding("spec-nested")]
    parts = path_parts(file)
    if len(parts) != 3 or parts[0] != SPEC_FOLDER:
        return []  # outside request_specs/ (a test case, a draft): nothing to compare
    found = []
    applicant, metadata = sections.get("applicant"), sections.get("metadata")
    if applicant is not None and applicant.department != parts[1]:
        found.append(Finding("spec-placement", ("applicant", "department"), params={
            "what": "applicant.department", "value": applicant.department, "expected": file}))
    if metadata is not None and metadata.system != PurePosixPath(parts[2]).stem:
        found.append(Finding("spec-placement", ("metadata", "system"), params={
            "what": "metadata.system", "value": metadata.system, "expected": file}))
    return found
