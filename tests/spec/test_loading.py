"""Loading: the file-level guards, the API other parts rely on, and where problems point."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from provisioner.errors import Problem, SpecError
from provisioner.spec import MAX_SPEC_BYTES, check_text, load_spec, parse_spec


def _codes(text: str, file: str = "x.yaml") -> list[str]:
    return [p.code for p in check_text(text, file).problems]


def test_parse_spec_raises_spec_error_with_every_problem(new_text: str) -> None:
    broken = new_text.replace("  region: city", "  region: mars").replace("    mlps_level: 2", "    mlps_level: 5")
    with pytest.raises(SpecError) as caught:
        parse_spec(broken, "request_specs/jj-xzspj/zwfw-portal.yaml")
    assert [(p.code, p.location.line) for p in caught.value.problems] == [("spec-choice", 13), ("spec-choice", 55)]
    assert str(caught.value).startswith("request_specs/jj-xzspj/zwfw-portal.yaml:13:11: spec-choice ")


def test_problem_keeps_its_old_shape_and_adds_article_and_english() -> None:
    old_style = Problem.at("a.yaml", "spec-duplicate-system", "system x is also requested by b.yaml", line=3)
    assert str(old_style) == "a.yaml:3:1: spec-duplicate-system system x is also requested by b.yaml"
    [problem] = check_text("[]\n", "a.yaml").problems
    assert (problem.location.line, problem.code, problem.article) == (1, "spec-not-mapping", "art15")
    assert str(problem).endswith(" [art15]") and problem.render("en").startswith("a.yaml:1:1: spec-not-mapping a request")


def test_oversize_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_SPEC_BYTES + 1))
    with pytest.raises(SpecError) as caught:
        load_spec(big, tmp_path)
    assert [(p.code, str(p.location)) for p in caught.value.problems] == [("file-too-large", "big.yaml:1:1")]
    assert _codes("#" * (MAX_SPEC_BYTES + 1)) == ["file-too-large"]


def test_utf8_with_bom_is_fine(tmp_path: Path, new_text: str) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + new_text.encode("utf-8"))
    assert load_spec(path, tmp_path).metadata.system == "zwfw-portal"


def test_non_utf8_points_at_the_first_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("kind: ResourceRequest\nname: caf\u00e9\n".encode("latin-1"))
    with pytest.raises(SpecError) as caught:
        load_spec(path, tmp_path)
    [problem] = caught.value.problems
    assert (problem.code, problem.location.line, problem.location.column) == ("file-not-utf8", 2, 10)


@pytest.mark.parametrize(("text", "code", "line"), [
    ("a: &x [*x]\n", "yaml-alias-recursive", 1),
    ("a: 1\nb: *nowhere\n", "yaml-alias-undefined", 2),
    ("a: 1\nb: \x07\n", "yaml-control-character", 2),
    ("a: " + "[" * 40 + "]" * 40 + "\n", "yaml-too-deep", 1),
    ("a: " + "[" * 200_000 + "\n", "yaml-too-deep", 1),        # far deeper than any stack
    ("? [a, b]\n: c\n", "yaml-key-not-text", 1),
    ("a: !!binary aGVsbG8=\n", "yaml-tag", 1),
])
def test_yaml_constructs_a_request_never_needs_are_located_errors(text: str, code: str, line: int) -> None:
    problems = check_text(text, "x.yaml").problems
    assert (code, line) in [(p.code, p.location.line) for p in problems]


def test_aliases_that_stay_small_are_allowed(new_text: str) -> None:
    text = new_text.replace("      count: 2\n", "      count: &two 2\n").replace(
        "    mlps_level: 2", "    mlps_level: *two")
    assert _codes(text) == []
    assert parse_spec(text, "x.yaml").resources.security.mlps_level == 2
    assert _codes(new_text.replace("    mlps_level: 2", "    mlps_level: *two")) == ["yaml-alias-undefined"]


def test_placement_in_request_specs_must_match_department_and_system(new_text: str) -> None:
    problems = check_text(new_text, "request_specs/jj-other/portal.yaml").problems
    assert [(p.code, p.location.line) for p in problems] == [("spec-placement", 7), ("spec-placement", 11)]
    assert check_text(new_text, "drafts/anything.yaml").problems == []


def test_quoted_values_are_text_and_plain_ones_follow_yaml_1_2(new_text: str) -> None:
    text = new_text.replace("        description: HTTPS from the internet", '        description: "yes"')
    assert parse_spec(text, "x.yaml").resources.security.ingress[0].description == "yes"
    text = new_text.replace("      count: 2\n", "      count: +2\n")
    assert parse_spec(text, "x.yaml").resources.hosts[0].count == 2


def test_problems_of_valid_sections_are_reported_even_when_another_section_is_broken(new_text: str) -> None:
    text = new_text.replace("    mlps_level: 2", "    mlps_level: high")
    text = re.sub(r"  contract:\n(    .*\n)+", "", text)
    assert _codes(text) == ["materials-missing", "spec-choice"]
