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
        raise ConfigError(f"GOVCLOUD_PASSPHRASE_FILE {path} cannot be read: {exc.strerror}") from None
    if len(data) > _MAX_BYTES:
        raise ConfigError(f"GOVCLOUD_PASSPHRASE_FILE {path} is over {_MAX_BYTES} bytes: not a passphrase file")
    try:
        return data.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise ConfigError(f"GOVCLOUD_PASSPHRASE_FILE {path} is not UTF-8 text") from None


def check_passphrase(passphrase: str, cloud: str, source: Path) -> None:
    """Refuse, for any cloud but the development one, the development passphrase and short ones."""
    if cloud == DEV_CLOUD:
        return
    if not passphrase:
        raise ConfigError(f"GOVCLOUD_PASSPHRASE_FILE {source} is empty")
    if passphrase == DEV_PASSPHRASE:
        raise ConfigError(f"GOVCLOUD_PASSPHRASE_FILE {source} holds the development cloud's public passphrase: "
                          f"cloud {cloud} needs a passphrase of its own")
    if len(passphrase) < MIN_LENGTH:
        raise ConfigError(f"the passphrase in GOVCLOUD_PASSPHRASE_FILE {source} has {len(passphrase)} characters: "
                          f"cloud {cloud} needs at least {MIN_LENGTH}")


def passphrase_for(cloud: str, passphrase_file: Path | None) -> str:
    """The passphrase a cloud's stacks use: the file's, checked; the development one only for the dev cloud."""
    if passphrase_file is None:
        if cloud != DEV_CLOUD:
            raise ConfigError(f"cloud {cloud} needs GOVCLOUD_PASSPHRASE_FILE: the development "
                              f"passphrase only protects the development cloud {DEV_CLOUD}")
        return DEV_PASSPHRASE
    passphrase = read_passphrase(passphrase_file)
    check_passphrase(passphrase, cloud, passphrase_file)
    return passphrase
