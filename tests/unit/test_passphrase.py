"""The stack secrets passphrase: the file wins over the shell; a real cloud refuses weak ones;
`govcloud env` never prints a real cloud's passphrase."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from provisioner import cli
from provisioner.errors import ConfigError
from provisioner.passphrase import DEV_PASSPHRASE, MIN_LENGTH, passphrase_for
from provisioner.settings import Settings

STRONG = "jiujiang-vault-7f3a9c1e"


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "passphrase"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _settings(tmp_path: Path, cloud: str, passphrase_file: Path | None) -> Settings:
    environ = {"GOVCLOUD_CACHE": str(tmp_path / "cache"), "GOVCLOUD_CLOUD": cloud}
    if passphrase_file is not None:
        environ["GOVCLOUD_PASSPHRASE_FILE"] = str(passphrase_file)
    return Settings.from_environ(environ, tmp_path)


def test_the_development_cloud_uses_the_public_passphrase_without_a_file() -> None:
    assert passphrase_for("govcloud-dev", None) == DEV_PASSPHRASE


def test_another_cloud_needs_a_file() -> None:
    with pytest.raises(ConfigError) as refused:
        passphrase_for("jiujiang", None)
    assert "cloud jiujiang needs GOVCLOUD_PASSPHRASE_FILE" in refused.value.render("en")
    assert "云 jiujiang 须设置 GOVCLOUD_PASSPHRASE_FILE" in str(refused.value)


def test_the_file_is_read_as_pulumi_reads_it(tmp_path: Path) -> None:
    assert passphrase_for("jiujiang", _file(tmp_path, f"  {STRONG}  ")) == STRONG


@pytest.mark.parametrize(("content", "expected"), [
    (DEV_PASSPHRASE, "development cloud's public passphrase"),
    ("short-but-15chr", f"has 15 characters: cloud jiujiang needs at least {MIN_LENGTH}"),
    ("", "is empty"),
], ids=["dev-passphrase", "too-short", "empty"])
def test_a_real_cloud_refuses_weak_passphrases_without_echoing_them(tmp_path: Path, content: str,
                                                                     expected: str) -> None:
    path = _file(tmp_path, content)
    with pytest.raises(ConfigError) as refused:
        passphrase_for("jiujiang", path)
    assert expected in refused.value.render("en")
    for said in (str(refused.value), refused.value.render("en")):
        assert str(path) in said
        assert not content or content not in said


def test_the_minimum_is_sixteen_characters(tmp_path: Path) -> None:
    assert MIN_LENGTH == 16
    assert passphrase_for("jiujiang", _file(tmp_path, "x" * 16)) == "x" * 16


def test_an_unreadable_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as refused:
        passphrase_for("jiujiang", tmp_path / "absent")
    assert "cannot be read" in refused.value.render("en") and "无法读取" in str(refused.value)


def test_the_development_cloud_takes_any_file(tmp_path: Path) -> None:
    assert passphrase_for("govcloud-dev", _file(tmp_path, "test-passphrase")) == "test-passphrase"


def test_the_file_wins_over_a_passphrase_left_in_the_shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Left by `eval "$(govcloud env)"` on the development cloud. The Automation API adds
    # pulumi_env() to govcloud's own environment, so the value given here is what Pulumi reads.
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", DEV_PASSPHRASE)
    env = _settings(tmp_path, "jiujiang", _file(tmp_path, STRONG)).pulumi_env()
    assert env["PULUMI_CONFIG_PASSPHRASE"] == STRONG


def test_pulumi_env_refuses_the_development_passphrase_for_another_cloud(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as refused:
        _settings(tmp_path, "jiujiang", _file(tmp_path, DEV_PASSPHRASE)).pulumi_env()
    assert "public passphrase" in refused.value.render("en")


def _env_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                environ: dict[str, str], lang: tuple[str, ...] = ()) -> tuple[int, str, str]:
    root = tmp_path / "repo"
    (root / "request_specs").mkdir(parents=True, exist_ok=True)
    (root / "Pulumi.yaml").write_text("name: govcloud\n", encoding="utf-8")
    monkeypatch.chdir(root)
    for key in ("GOVCLOUD_PASSPHRASE_FILE", "GOVCLOUD_CLOUD", "PULUMI_CONFIG_PASSPHRASE", "OS_CLOUD"):
        monkeypatch.delenv(key, raising=False)
    for key, value in {"GOVCLOUD_CACHE": str(tmp_path / "cache"), **environ}.items():
        monkeypatch.setenv(key, value)
    code = cli.main([*lang, "env"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_env_for_a_real_cloud_points_at_the_file_and_prints_no_passphrase(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    path = _file(tmp_path, STRONG)
    code, out, _ = _env_output(tmp_path, monkeypatch, capsys, {
        "GOVCLOUD_CLOUD": "jiujiang", "GOVCLOUD_PASSPHRASE_FILE": str(path),
        "PULUMI_CONFIG_PASSPHRASE": DEV_PASSPHRASE, "OS_CLOUD": "govcloud-dev"})
    assert code == 0
    assert STRONG not in out and f"PULUMI_CONFIG_PASSPHRASE={DEV_PASSPHRASE}" not in out
    assert f"export PULUMI_CONFIG_PASSPHRASE_FILE={path}" in out.splitlines()
    unset = next(line for line in out.splitlines() if line.startswith("unset "))
    assert set(unset.split()[1:]) == {"PULUMI_CONFIG_PASSPHRASE", "OS_CLOUD"}


def test_env_for_the_development_cloud_prints_its_public_passphrase(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _env_output(tmp_path, monkeypatch, capsys, {})
    assert code == 0 and f"export PULUMI_CONFIG_PASSPHRASE={DEV_PASSPHRASE}" in out.splitlines()


def test_env_refuses_a_weak_passphrase_for_a_real_cloud(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _env_output(tmp_path, monkeypatch, capsys, {
        "GOVCLOUD_CLOUD": "jiujiang", "GOVCLOUD_PASSPHRASE_FILE": str(_file(tmp_path, "short"))})
    assert code == 1 and out == "" and "至少需要 16 个" in err and "short\n" not in err
    code, out, err = _env_output(tmp_path, monkeypatch, capsys, {
        "GOVCLOUD_CLOUD": "jiujiang", "GOVCLOUD_PASSPHRASE_FILE": str(_file(tmp_path, "short"))}, ("--lang", "en"))
    assert code == 1 and out == "" and "at least 16" in err and "short\n" not in err
    assert not re.search(r"[\u3400-\u9fff]", err)
