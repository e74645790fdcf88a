"""The field keys province files may name (provinces/fields.py) are exactly those the rules check
(collection/field_specs.py): a key on one side only would be accepted in a rules file and then
silently ignored, or checked but never requirable."""

from accreg.collection.field_specs import EDUCATION_ITEM, EDUCATION_PARTS, LIST_ITEMS, PERSONAL, REMARKS, TALENT, WORK
from accreg.provinces.fields import SECTION_FIELDS, SECTIONS

REGISTRATION_FIELDS = {"name", "id_type", "id_number", "mobile"}  # kept on the account, not in the record


def test_every_section_has_specs_for_exactly_its_keys():
    specs = {
        "personal": set(PERSONAL) | REGISTRATION_FIELDS,
        "work": set(WORK),
        "education": {f"{part}.{key}" for part in EDUCATION_PARTS for key in EDUCATION_ITEM},
        "talent": set(TALENT),
        "remarks": set(REMARKS),
        **{section: set(items) for section, items in LIST_ITEMS.items()},
    }

    assert set(specs) == set(SECTIONS)
    for section, keys in specs.items():
        assert keys == set(SECTION_FIELDS[section]), section
