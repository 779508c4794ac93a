"""The repository's policies, as the policy tests load them."""

from tests.policy.conftest import policies  # noqa: F401 - the fixture, shared
