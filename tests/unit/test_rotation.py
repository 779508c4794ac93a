"""Which stacks credentials a rotation issues and revokes, on a fixed clock (provisioner/rotation.py)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from provisioner import rotation
from provisioner.rotation import LEGACY_NAME, Generation

NOW = datetime(2026, 12, 5, 13, 36, 0, 500, tzinfo=timezone.utc)
DAY = timedelta(days=1)


def test_a_new_generation_is_named_by_its_issue_and_expires_by_policy() -> None:
    new = rotation.issue(NOW, 90)
    assert new.name == "govcloud-stacks-20261205T133600Z"
    assert new.issued == NOW.replace(microsecond=0) and new.expires == new.issued + 90 * DAY
    assert new.resource == "stacks-credential-20261205T133600Z"
    assert new.as_config() == {"name": new.name, "expires": "2027-03-05T13:36:00Z"}
    assert rotation.from_config([new.as_config()]) == [new]


def test_a_stack_file_listing_nothing_has_the_first_credential_of_unknown_age() -> None:
    [first] = rotation.from_config(None)
    assert first == Generation(LEGACY_NAME) and first.resource == "stacks-credential"
    assert first.issued is None and first.expires is None
    assert rotation.age_days(first.issued, NOW) is None


@pytest.mark.parametrize("value", ["govcloud-stacks", [{"expires": "2027-01-01"}], [None]])
def test_a_hand_edited_list_is_refused(value: object) -> None:
    with pytest.raises(ValueError, match="govcloud:credentials"):
        rotation.from_config(value)


def test_the_first_rotation_keeps_the_old_credential_through_the_overlap() -> None:
    turn = rotation.rotate([Generation(LEGACY_NAME)], NOW, 90, 7)
    assert turn.revoked == () and [g.name for g in turn.kept] == [LEGACY_NAME, turn.issued.name]


def test_the_replaced_credential_is_due_once_its_successor_is_overlap_days_old() -> None:
    gens = [Generation(LEGACY_NAME), rotation.issue(NOW, 90)]
    assert rotation.due_for_revocation(gens, NOW + 7 * DAY - timedelta(seconds=1), 7) == []
    assert rotation.due_for_revocation(gens, NOW + 7 * DAY, 7) == [gens[0]]
    # the newest is never revoked here, whatever its age: rotating replaces it
    assert rotation.due_for_revocation(gens[1:], NOW + 400 * DAY, 7) == []


def test_an_expired_older_generation_is_due_even_within_the_overlap() -> None:
    old = Generation("govcloud-stacks-20260901T000000Z", NOW - DAY)
    gens = [old, rotation.issue(NOW, 90)]
    assert rotation.due_for_revocation(gens, NOW, 7) == [old]


def test_a_second_rotation_after_the_overlap_revokes_the_first_and_keeps_the_replaced_one() -> None:
    first = rotation.rotate([Generation(LEGACY_NAME)], NOW, 90, 7)
    later = NOW + 30 * DAY
    second = rotation.rotate(list(first.kept), later, 90, 7)
    assert [g.name for g in second.revoked] == [LEGACY_NAME]
    assert [g.name for g in second.kept] == [first.issued.name, second.issued.name]


def test_two_rotations_in_one_second_are_refused() -> None:
    first = rotation.rotate([Generation(LEGACY_NAME)], NOW, 90, 7)
    with pytest.raises(ValueError) as refused:
        rotation.rotate(list(first.kept), NOW, 90, 7)
    assert "this second" in refused.value.args[0].render("en") and "本秒内" in str(refused.value)


def test_age_is_whole_days_since_issue_and_a_name_not_govcloud_s_has_none() -> None:
    issued = rotation.issued_at("govcloud-stacks-20261101T000000Z")
    assert issued == datetime(2026, 11, 1, tzinfo=timezone.utc)
    assert rotation.age_days(issued, NOW) == 34
    assert rotation.issued_at("ci-deploy") is None and rotation.issued_at("govcloud-stacks-tomorrow") is None
