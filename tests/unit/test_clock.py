"""GOVCLOUD_NOW: one fixed "now" for a command, Shanghai time when no zone is given."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from provisioner import clock
from provisioner.errors import ConfigError
from provisioner.settings import Settings


def test_naive_moment_is_shanghai_wall_time() -> None:
    assert clock.parse_moment("2026-12-21T09:00") == datetime(2026, 12, 21, 1, 0, tzinfo=timezone.utc)


def test_a_date_alone_is_shanghai_midnight() -> None:
    assert clock.parse_moment("2026-12-21") == datetime(2026, 12, 20, 16, 0, tzinfo=timezone.utc)


def test_an_explicit_zone_is_kept() -> None:
    assert clock.parse_moment("2026-12-21T09:00+00:00") == datetime(2026, 12, 21, 9, 0, tzinfo=timezone.utc)


def test_a_wrong_moment_is_a_configuration_error_naming_the_variable() -> None:
    with pytest.raises(ConfigError, match="GOVCLOUD_NOW"):
        clock.parse_moment("next tuesday")


def test_settings_read_the_clock_once_and_it_does_not_tick() -> None:
    settings = Settings.from_environ({"GOVCLOUD_NOW": "2027-01-05T23:30"}, Path("."))
    assert settings.now() == settings.now() == datetime(2027, 1, 5, 15, 30, tzinfo=timezone.utc)
    assert clock.today(settings.clock) == date(2027, 1, 5)


def test_without_the_variable_the_system_clock_is_used() -> None:
    before = datetime.now(timezone.utc)
    now = Settings.from_environ({}, Path(".")).now()
    assert before <= now <= datetime.now(timezone.utc) and now.tzinfo is not None


def test_the_pulumi_program_gets_the_commands_now() -> None:
    from pathlib import Path

    from provisioner.settings import Settings

    pinned = Settings.from_environ({"GOVCLOUD_NOW": "2026-12-23T09:00"}, Path("/repo"))
    assert pinned.pulumi_env()["GOVCLOUD_NOW"] == "2026-12-23T01:00:00+00:00"
    assert "GOVCLOUD_NOW" not in Settings.from_environ({}, Path("/repo")).pulumi_env()
