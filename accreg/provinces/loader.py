"""Reads and validates the province rules files; answers which profiles this deployment serves.

A broken file stops start-up with the file and the key named, so a typo never reaches a person.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pydantic import ValidationError

from .schema import Province


class RulesFileError(ImproperlyConfigured):
    """A province rules file cannot be used; the message names the file and the key."""


def _key_path(location: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for part in location:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif part != "[key]":
            parts.append(f".{part}" if parts else str(part))
    return "".join(parts) or "(file)"


def load_file(path: Path) -> Province:
    """Parse and validate one rules file. Raises RulesFileError naming the file and each bad key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RulesFileError(f"{path}: file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RulesFileError(f"{path}: not valid TOML: {exc}") from exc
    try:
        province = Province.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{_key_path(e['loc'])}: {e['msg']}" for e in exc.errors())
        raise RulesFileError(f"{path}: {problems}") from exc
    if province.code != path.stem:
        raise RulesFileError(f"{path}: code: {province.code!r} must match the file name {path.stem!r}")
    return province


def load_directory(directory: Path) -> dict[str, Province]:
    """Every *.toml in the directory, keyed by profile code, in file-name order."""
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise RulesFileError(f"{directory}: no province rules files (*.toml)")
    provinces = [load_file(path) for path in files]
    regions = [p.region for p in provinces]
    if len(set(regions)) != len(regions):
        raise RulesFileError(f"{directory}: two files claim the same region code")
    return {p.code: p for p in provinces}


@cache
def all_profiles() -> dict[str, Province]:
    """Every profile on disk (cached for the life of the process)."""
    return load_directory(Path(settings.ACCREG_PROVINCES_DIR))


@cache
def served_profiles() -> dict[str, Province]:
    """The profiles this deployment serves (ACCREG_PROVINCES), in file-name order."""
    profiles = all_profiles()
    wanted = [code.strip() for code in settings.ACCREG_PROVINCES if code.strip()]
    if wanted in ([], ["all"]):
        return profiles
    unknown = [code for code in wanted if code not in profiles]
    if unknown:
        raise RulesFileError(f"ACCREG_PROVINCES names unknown profiles: {', '.join(unknown)}")
    return {code: profiles[code] for code in profiles if code in wanted}


def served_profile(code: str) -> Province | None:
    """The profile for a portal code, or None when this deployment does not serve it."""
    return served_profiles().get(code)


def profile_for_region(region_code: str) -> Province | None:
    """The served profile whose province contains a division code."""
    prefix = region_code[:2]
    return next((p for p in served_profiles().values() if p.region.startswith(prefix)), None)


def clear_caches() -> None:
    all_profiles.cache_clear()
    served_profiles.cache_clear()
