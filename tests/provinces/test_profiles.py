"""The four shipped province files: they load, and carry the differences SPEC.md names."""

import pytest

from accreg.provinces.loader import all_profiles, load_file, profile_for_region, served_profiles


def test_the_four_provinces_load_with_their_regions():
    profiles = all_profiles()

    assert {code: p.region for code, p in profiles.items()} == {
        "chongqing": "500000",
        "henan": "410000",
        "liaoning": "210000",
        "yunnan": "530000",
    }


@pytest.mark.parametrize(
    ("code", "methods"),
    [
        ("chongqing", ("id_password", "mobile_sms")),
        ("yunnan", ("id_password",)),
        ("henan", ("id_password", "mobile_password", "oidc")),
        ("liaoning", ("name_id_password",)),
    ],
)
def test_sign_in_methods_follow_the_manuals(code, methods):
    assert all_profiles()[code].sign_in.methods == methods


def test_province_differences_are_data():
    cq, yn, hn, ln = (all_profiles()[c] for c in ("chongqing", "yunnan", "henan", "liaoning"))

    assert cq.password.allow_symbols is False  # CQ 1.2 ③
    assert yn.sign_in.captcha is True  # YN 3
    assert yn.materials["photo"].max_bytes == 20 * 1024  # YN 1.5
    assert hn.notice.min_read_seconds == 30  # HN 3.1
    assert (hn.materials["photo"].min_width, hn.materials["photo"].min_height) == (295, 413)
    assert hn.materials["qualification"].formats == ("jpeg",) and hn.materials["qualification"].max_bytes == 80 * 1024
    assert hn.validation.accounting_start_not_before_full_time_education is True  # HN 3.4
    assert cq.validation.accounting_start_not_before_full_time_education is False
    assert ln.sections["personal"].editable == ("name", "mobile")  # LN 6
    assert "basic_info_form" in ln.materials and "basic_info_form" not in cq.materials  # LN 10
    assert "talent" in hn.steps and "talent" not in ln.steps  # HN 3.5.2
    assert [s.label for s in cq.employment_statuses] == [
        "是",
        "否-我是学生",
        "否-我是本省无业人员",
        "否-我是外省无业人员",
    ]
    assert cq.employment_status("unemployed_local").collect_at == ("residence", "id_place")  # CQ b


def test_every_profile_starts_with_its_steps_in_order():
    hn = all_profiles()["henan"]

    assert hn.steps[0] == "notice" and hn.steps[-1] == "commitment"
    assert hn.section_steps[:3] == ("personal", "education", "work")


def test_profile_for_region_finds_the_province_of_a_county():
    assert profile_for_region("410105").code == "henan"
    assert profile_for_region("110101") is None


def test_shipped_files_round_trip(settings):
    for path in sorted(settings.ACCREG_PROVINCES_DIR.glob("*.toml")):
        assert load_file(path).code == path.stem


def test_a_deployment_can_serve_one_province(settings, profiles_reset):
    settings.ACCREG_PROVINCES = ["liaoning"]

    assert list(served_profiles()) == ["liaoning"]


def test_the_notes_administrators_read_on_the_rules_page_are_in_chinese():
    import re

    from accreg.provinces.loader import all_profiles

    for profile in all_profiles().values():
        english = re.findall(r"[A-Za-z]{4,}", profile.source.notes)  # citations like "LN 11" pass
        assert english == [], (profile.code, english)


def test_the_rules_files_comments_shown_on_the_rules_page_are_in_chinese():
    """The rules page shows each file as written (规则文件原文): its comments read in Chinese too;
    manual citations ("LN 11"), the seeds' file names and format names (jpg/png, H5) pass."""
    import re
    from pathlib import Path

    from django.conf import settings

    for path in sorted(Path(settings.ACCREG_PROVINCES_DIR).glob("*.toml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.lstrip().startswith("#") and "  #" not in line:  # a comment, not a "#" in a value
                continue
            comment = line.split("#", 1)[1]
            words = [w for w in re.findall(r"[A-Za-z]{3,}", comment) if w not in {"seeds", "jpg", "png"}]
            assert words == [], f"{path.name}:{number}: {line.strip()}"
