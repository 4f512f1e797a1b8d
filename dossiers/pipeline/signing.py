"""The signing key of a build: a PKCS#12 file outside the project, its passphrase from the environment or the user's
config.

    ~/.config/dossiers/config.toml  (or $XDG_CONFIG_HOME/dossiers/config.toml)

    [sign]
    passphrase = "..."                       # DOSSIERS_SIGN_PASSPHRASE wins; empty for none
    timestamp = "https://tsa.example/tsr"    # a timestamp authority: PAdES B-T

Nothing of this is read from the project: a pull request must not be able to sign, or
to choose how its outputs are signed.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from ..errors import UserError, os_error
from ..output.signing import SigningKey, load_key

PASSPHRASE_VARIABLE = "DOSSIERS_SIGN_PASSPHRASE"
MAX_KEY_BYTES = 1 << 20
MAX_CONFIG_BYTES = 64 * 1024


def user_config_file() -> Path:
    """$XDG_CONFIG_HOME/dossiers/config.toml, else ~/.config/dossiers/config.toml."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "dossiers" / "config.toml"


def _sign_settings(root: Path) -> dict[str, str]:
    """The [sign] table of the user's config: passphrase and timestamp, both optional; a config inside the project is
    not read."""
    path = user_config_file()
    if not path.is_file():
        return {}
    if path.resolve().is_relative_to(root.resolve()):
        raise UserError(
            f"the user config {path} lies inside the project {root}: it could come with a pull request; "
            "keep it in your home folder"
        )
    try:
        with open(path, "rb") as handle:
            data = tomllib.loads(handle.read(MAX_CONFIG_BYTES + 1).decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UserError(f"{path} is not valid TOML ({error})") from None
    except OSError as error:
        raise os_error(error, f"read {path}") from None
    table = data.get("sign", {})
    unknown = sorted(set(table) - {"passphrase", "timestamp"}) if isinstance(table, dict) else ["(not a table)"]
    if unknown or not all(isinstance(value, str) for value in table.values()):
        raise UserError(
            f"{path}: [sign] takes passphrase and timestamp, each a string; remove "
            f"{', '.join(unknown) or 'the other values'}"
        )
    return table


def signing_key(root: Path, key_file: Path, timestamp_url: str | None = None) -> SigningKey:
    """The key to sign a build of the project at `root` with; a UserError if it is inside the project or cannot be
    opened."""
    resolved = key_file.resolve()
    if resolved.is_relative_to(root.resolve()):
        raise UserError(
            f"the signing key {key_file} is inside the project: whoever can change the project (a pull request) could "
            "then sign; "
            "keep the key outside it (in ~/.config/dossiers/ or a CI secret written to a temporary file)"
        )
    if not resolved.is_file():
        raise UserError(f"the signing key {key_file} is not a file: give a PKCS#12 file (.p12, .pfx)")
    try:
        with open(resolved, "rb") as handle:
            data = handle.read(MAX_KEY_BYTES + 1)
    except OSError as error:
        raise os_error(error, f"read the signing key {key_file}") from None
    if len(data) > MAX_KEY_BYTES:
        raise UserError(
            f"the signing key {key_file} is larger than {MAX_KEY_BYTES // 1024} KiB: it is not a PKCS#12 key file"
        )
    settings = _sign_settings(root)
    passphrase = os.environ.get(PASSPHRASE_VARIABLE, settings.get("passphrase"))
    return load_key(
        data,
        passphrase.encode("utf-8") if passphrase else None,
        str(key_file),
        timestamp_url or settings.get("timestamp") or None,
    )
