"""Where specs are read from: regular files inside the repository, never through a link, and
stacks only from request_specs/<department>/<system>.yaml, whose folder is the department's."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path, PurePosixPath

import pytest

from provisioner.app import apply as apply_job
from provisioner.cli import main
from provisioner.errors import SpecError
from provisioner.gitops.changes import Change, Kind, other_paths
from provisioner.gitops.review import other_path_findings
from provisioner.policy import department_requests
from provisioner.spec import check_file, load_request, location
from tests.spec.conftest import ROOT

SECRET = "jiujiang-vault-passphrase-do-not-show"
PORTAL = ROOT / "request_specs" / "jj-xzspj" / "zwfw-portal.yaml"   # department jj-xzspj
RSJ = ROOT / "request_specs" / "jj-rsj"


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with one department's request, the current directory."""
    root = tmp_path / "repo"
    (root / "request_specs" / "jj-xzspj").mkdir(parents=True)
    (root / "Pulumi.yaml").write_text("name: govcloud\n", encoding="utf-8")
    shutil.copy(PORTAL, root / "request_specs" / "jj-xzspj" / "zwfw-portal.yaml")
    shutil.copytree(ROOT / "policies", root / "policies")
    monkeypatch.chdir(root)
    return root


@pytest.fixture()
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


def _validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["validate", "--lang", "en", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_spec_that_links_to_a_secret_is_refused_quoting_nothing_of_it(
        repo: Path, secret_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "request_specs" / "jj-xzspj" / "leak.yaml").symlink_to(secret_file)
    code, output = _validate(capsys, "request_specs/jj-xzspj/leak.yaml")
    assert code == 1
    assert ("request_specs/jj-xzspj/leak.yaml:1:1: file-symlink request_specs/jj-xzspj/leak.yaml is a symbolic "
            "link: specs are read only from regular files, never through a link") in output
    assert SECRET[:8] not in output and str(secret_file) not in output


def test_validating_the_whole_folder_refuses_the_link_too(repo: Path, secret_file: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "request_specs" / "jj-xzspj" / "leak.yaml").symlink_to(secret_file)
    code, output = _validate(capsys)
    assert code == 1 and "file-symlink" in output and SECRET[:8] not in output


def test_a_linked_department_folder_is_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "request_specs" / "jj-rsj").symlink_to(RSJ)        # another repository's folder
    code, output = _validate(capsys, "request_specs/jj-rsj/shebao-jb.yaml")
    assert code == 1 and "file-symlink request_specs/jj-rsj is a symbolic link" in output


def test_many_files_at_once_refuse_every_file_through_a_link_and_only_those(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The folders' links are looked up once per run (location.Placer): each file still answers.
    (repo / "request_specs" / "jj-rsj").symlink_to(RSJ)
    (repo / "request_specs" / "jj-xzspj" / "copy.yaml").symlink_to("zwfw-portal.yaml")
    code, output = _validate(capsys, "--format", "json", "request_specs/jj-rsj/shebao-jb.yaml",
                             "request_specs/jj-xzspj/copy.yaml", "request_specs/jj-xzspj/zwfw-portal.yaml",
                             "request_specs/jj-rsj/shebao-jb.yaml")
    codes = {p["file"]: p["rule"] for p in json.loads(output)["problems"] if p["rule"] == "file-symlink"}
    assert code == 1 and codes == {"request_specs/jj-rsj/shebao-jb.yaml": "file-symlink",
                                   "request_specs/jj-xzspj/copy.yaml": "file-symlink"}


def test_a_link_inside_the_repository_is_refused_as_well(repo: Path) -> None:
    (repo / "request_specs" / "jj-xzspj" / "copy.yaml").symlink_to("zwfw-portal.yaml")
    checked = check_file(Path("request_specs/jj-xzspj/copy.yaml"), repo)
    assert checked.spec is None and [p.code for p in checked.problems] == ["file-symlink"]


def test_a_path_outside_the_repository_is_a_user_error(repo: Path, secret_file: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, output = _validate(capsys, str(secret_file))
    assert code == 1
    assert f"{secret_file}:1:1: file-outside-repository the file is outside the repository" in output
    assert SECRET[:8] not in output
    assert main(["policy", "check", "--lang", "en", str(secret_file)]) == 1
    output = capsys.readouterr().out
    assert "file-outside-repository" in output and SECRET[:8] not in output


def test_apply_refuses_a_path_outside_the_repository(repo: Path, secret_file: Path) -> None:
    with pytest.raises(SpecError) as refused:
        apply_job.discover(repo, [secret_file])
    assert [p.code for p in refused.value.problems] == ["file-outside-repository"]
    assert SECRET[:8] not in str(refused.value)


def test_a_pipe_is_not_read(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo(repo / "request_specs" / "jj-xzspj" / "pipe.yaml")   # reading it would wait forever
    code, output = _validate(capsys, "request_specs/jj-xzspj/pipe.yaml")
    assert code == 1 and "file-not-regular" in output


def test_a_nested_spec_cannot_speak_for_another_department(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # jj-xzspj's folder (its owners approve it) holds a request in jj-rsj's name.
    nested = repo / "request_specs" / "jj-xzspj" / "sub" / "shebao-jb.yaml"
    nested.parent.mkdir()
    shutil.copy(RSJ / "shebao-jb.yaml", nested)
    code, output = _validate(capsys, "request_specs/jj-xzspj/sub/shebao-jb.yaml")
    assert code == 1 and "spec-nested requests live directly in request_specs/<department>/" in output
    with pytest.raises(SpecError) as refused:
        apply_job.discover(repo, [nested])
    assert [p.code for p in refused.value.problems] == ["spec-nested"]


def test_only_requests_in_a_department_folder_become_stacks(repo: Path) -> None:
    draft = repo / "drafts" / "zwfw-portal.yaml"
    draft.parent.mkdir()
    shutil.copy(PORTAL, draft)
    assert check_file(draft, repo).spec is not None              # a draft may be validated
    with pytest.raises(SpecError) as refused:
        load_request(draft, repo)
    assert [(p.code, p.location.path) for p in refused.value.problems] == [("spec-not-request", "drafts/zwfw-portal.yaml")]
    spec, path = load_request(repo / "request_specs" / "jj-xzspj" / "zwfw-portal.yaml", repo)
    assert (spec.department, path) == ("jj-xzspj", "request_specs/jj-xzspj/zwfw-portal.yaml")


def test_a_missing_file_given_to_apply_is_a_user_error(repo: Path) -> None:
    with pytest.raises(SpecError) as refused:
        apply_job.discover(repo, [repo / "request_specs" / "jj-xzspj" / "nowhere.yaml"])
    assert [p.code for p in refused.value.problems] == ["file-missing"]


def test_a_merge_request_adding_a_nested_spec_is_blocked() -> None:
    changes = [Change("request_specs/jj-xzspj/sub/shebao-jb.yaml", Kind.ADDED)]
    found = other_path_findings(other_paths(changes))
    assert [(f.code, f.path, f.blocking) for f in found] == [
        ("spec-misplaced", "request_specs/jj-xzspj/sub/shebao-jb.yaml", True)]


@pytest.mark.parametrize("shown", [
    "request_specs/jj-rsj/shebao-jb.yaml", "request_specs/jj-rsj/sub/x.yml", "request_specs/jj-rsj/.yaml",
    "request_specs/jj-rsj/..yaml", "request_specs/jj-rsj/x.yaml.bak", "request_specs//jj-rsj/./x.yaml",
    "/request_specs/jj-rsj/x.yaml", "//request_specs/a/x.yaml", "request_specs/a/x.yaml/", "request_specs\\a\\x.yaml",
    "request_specs/C:\\a/x.yaml", "", ".", "..", "../request_specs/a/x.yaml", "drafts/x.yaml", "x.YAML"])
def test_shown_paths_are_read_as_pathlib_reads_them(shown: str) -> None:
    # location reads a shown path's parts and suffix without making a path: the same answers.
    pure = PurePosixPath(shown)
    assert location.path_parts(shown) == pure.parts
    assert location.has_spec_suffix(pure.name) == (pure.suffix in location.SUFFIXES)
    assert location.is_request(shown) == (len(pure.parts) == 3 and pure.parts[0] == "request_specs"
                                          and pure.suffix in location.SUFFIXES)


def test_a_repository_named_through_links_shows_the_same_paths(repo: Path, tmp_path: Path) -> None:
    # A home folder that is a link, the repository named through it or by its real path: the
    # same place, the same shown path, the file read; a file named outside it stays outside.
    (tmp_path / "home").symlink_to(tmp_path)
    linked = tmp_path / "home" / "repo"
    portal = Path("request_specs/jj-xzspj/zwfw-portal.yaml")
    for root, path in [(linked, repo / portal), (repo, linked / portal), (linked, linked / portal),
                       (Path("."), portal), (linked, Path("request_specs/./jj-xzspj//zwfw-portal.yaml"))]:
        placed = location.place(path, root)
        assert (placed.shown, placed.file, placed.refused) == (portal.as_posix(), repo / portal, None)
    outside = location.place(tmp_path / "home" / "passphrase", linked)
    assert (outside.shown, outside.refused.rule) == ((tmp_path / "home" / "passphrase").as_posix(),
                                                     "file-outside-repository")


def test_odd_names_are_shown_as_named_and_links_refused_at_the_first(repo: Path) -> None:
    folder = repo / "request_specs" / "jj-xzspj"
    (folder / "C:\\win.yaml").write_text("x", encoding="utf-8")
    (folder / "sub").mkdir()
    (repo / "request_specs" / "linked").symlink_to("jj-xzspj")
    placer = location.Placer(repo)
    windows = placer.place(Path("request_specs/jj-xzspj/C:\\win.yaml"))
    assert (windows.shown, windows.file, windows.refused) == (
        "request_specs/jj-xzspj/C:\\win.yaml", folder / "C:\\win.yaml", None)
    for path in ["request_specs/linked/sub/x.yaml", "request_specs/linked/zwfw-portal.yaml"]:
        refused = placer.place(Path(path))          # the second asks the folder's memory
        assert (refused.shown, refused.file, refused.refused.params) == (path, None, {"link": "request_specs/linked"})


def test_a_departments_requests_are_its_spec_files_in_name_order(repo: Path) -> None:
    folder = repo / "request_specs" / "jj-xzspj"
    for name in ["b.yml", "B.yaml", ".yaml", "..yaml", "x.json", "C:\\win.yaml"]:
        (folder / name).write_text("x", encoding="utf-8")
    (folder / "dir.yaml").mkdir()
    (folder / "link.yaml").symlink_to("zwfw-portal.yaml")
    (folder / "dangling.yaml").symlink_to("nowhere.yaml")
    found = department_requests(repo, "jj-xzspj")
    assert [shown for shown, _ in found] == [f"request_specs/jj-xzspj/{name}" for name in [
        "..yaml", "B.yaml", "C:\\win.yaml", "b.yml", "link.yaml", "zwfw-portal.yaml"]]
    specs = {shown.rsplit("/", 1)[1]: read() for shown, read in found}
    assert specs["link.yaml"] is None and specs["B.yaml"] is None          # a link is never read
    assert specs["zwfw-portal.yaml"] is not None and specs["zwfw-portal.yaml"].department == "jj-xzspj"
    assert department_requests(repo, "nowhere") == []
