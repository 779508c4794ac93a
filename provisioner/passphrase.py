"""The passphrase that encrypts stack secrets, and what a cloud accepts as one.

Stack files in stacks/ carry the salt of the passphrase they were made with, so
everyone working on one repository shares one passphrase: production keeps its
own in a file from its vault (GOVCLOUD_PASSPHRASE_FILE); the development cloud's
is a known value, refused for any other cloud, as is any passphrase shorter
than MIN_LENGTH characters. Messages name the file, never its content.
"""

from __future__ import annotations

from pathlib import Path

from provisioner.errors import ConfigError
from provisioner.messages import WORDS

DEV_CLOUD = "govcloud-dev"
DEV_PASSPHRASE = "govcloud-dev-cloud-only"
MIN_LENGTH = 16          # characters, for every cloud but the development one
_MAX_BYTES = 4096        # a passphrase file is one line; anything bigger is the wrong file


def read_passphrase(path: Path) -> str:
    """The passphrase in `path`, as Pulumi reads such a file (surrounding whitespace dropped)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_BYTES + 1)
    except OSError as exc:
        raise ConfigError(WORDS("passphrase-unreadable", path=path, reason=exc.strerror)) from None
    if len(data) > _MAX_BYTES:
        raise ConfigError(WORDS("passphrase-too-big", path=path, limit=_MAX_BYTES))
    try:
        return data.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise ConfigError(WORDS("passphrase-not-utf8", path=path)) from None


def check_passphrase(passphrase: str, cloud: str, source: Path) -> None:
    """Refuse, for any cloud but the development one, the development passphrase and short ones."""
    if cloud == DEV_CLOUD:
        return
    if not passphrase:
        raise ConfigError(WORDS("passphrase-empty", path=source))
    if passphrase == DEV_PASSPHRASE:
        raise ConfigError(WORDS("passphrase-dev", path=source, cloud=cloud))
    if len(passphrase) < MIN_LENGTH:
        raise ConfigError(WORDS("passphrase-short", path=source, length=len(passphrase), cloud=cloud, minimum=MIN_LENGTH))


def passphrase_for(cloud: str, passphrase_file: Path | None) -> str:
    """The passphrase a cloud's stacks use: the file's, checked; the development one only for the dev cloud."""
    if passphrase_file is None:
        if cloud != DEV_CLOUD:
            raise ConfigError(WORDS("passphrase-missing", cloud=cloud, dev_cloud=DEV_CLOUD))
        return DEV_PASSPHRASE
    passphrase = read_passphrase(passphrase_file)
    check_passphrase(passphrase, cloud, passphrase_file)
    return passphrase
