"""Stamps of stored sections whose values were cleaned under the rules now in force (issue 16).

A save cleans every value of its section (dates, codes, phone numbers: `checks.clean_value`) and
stores beside the section a stamp: a digest of the rules in force and of the section as stored.
A read checks each stored section again (what is missing, and what the other sections, the
person and today now make wrong) but, where the stamp still matches, takes its values as already
clean instead of cleaning each one again. Whatever changes a section other than a save (a desk
correction, an import), and any change of the province's rules file or of the code that cleans
values, makes the stamp differ, and that section's values are cleaned again in full."""

from __future__ import annotations

import functools
import hashlib
import json
from importlib.metadata import version
from pathlib import Path
from typing import Any

from accreg.codelists import registry
from accreg.provinces.schema import Province

from . import checks, field_specs, rules

# The code a value's cleaning depends on: the cleaning itself, the field specs, the code lists.
_CLEANING_CODE = (Path(checks.__file__), Path(field_specs.__file__), Path(rules.__file__))


@functools.cache
def _cleaning_digest() -> bytes:
    digest = hashlib.sha256(version("pycountry").encode())
    for path in (*_CLEANING_CODE, *sorted(registry.DATA_DIR.glob("*.toml"))):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.digest()


_fingerprints: dict[str, tuple[Province, bytes]] = {}


def rules_fingerprint(profile: Province) -> bytes:
    """The province's rules and the cleaning code, as one digest (made once per loaded profile)."""
    cached = _fingerprints.get(profile.code)
    if cached is not None and cached[0] is profile:
        return cached[1]
    fingerprint = hashlib.sha256(_cleaning_digest() + profile.model_dump_json().encode()).digest()
    _fingerprints[profile.code] = (profile, fingerprint)
    return fingerprint


def section_stamp(profile: Province, data: Any) -> str:
    """The stamp of a section stored as `data` after its values were cleaned under `profile`."""
    stored = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(rules_fingerprint(profile) + stored.encode()).hexdigest()[:32]


def clean_sections(profile: Province, sections: dict[str, Any], stamps: dict[str, str]) -> frozenset[str]:
    """The stored sections whose values need no cleaning again: stamped, and unchanged since."""
    return frozenset(
        key for key, stamp in stamps.items() if key in sections and stamp == section_stamp(profile, sections[key])
    )
