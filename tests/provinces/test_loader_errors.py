"""A broken rules file fails at start with the file and the key named."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import tomli_w
from django.conf import settings

from accreg.provinces.loader import RulesFileError, load_directory, load_file, served_profiles

SHIPPED = Path(settings.ACCREG_PROVINCES_DIR)


def henan_data() -> dict:
    return tomllib.loads((SHIPPED / "henan.toml").read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict, name: str = "henan") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def test_invalid_toml_names_the_file(tmp_path):
    path = tmp_path / "henan.toml"
    path.write_text('code = "henan"\nname = \n', encoding="utf-8")

    with pytest.raises(RulesFileError) as caught:
        load_file(path)

    assert str(path) in str(caught.value) and "not valid TOML" in str(caught.value)


def test_missing_key_names_the_key(tmp_path):
    data = henan_data()
    del data["review"]["service_days"]

    with pytest.raises(RulesFileError) as caught:
        load_file(write(tmp_path, data))

    assert "henan.toml" in str(caught.value)
    assert "review.service_days: Field required" in str(caught.value)


def test_unknown_material_kind_is_named(tmp_path):
    data = henan_data()
    data["materials"]["selfie"] = dict(data["materials"]["photo"])

    with pytest.raises(RulesFileError) as caught:
        load_file(write(tmp_path, data))

    assert "materials" in str(caught.value) and "未知的材料种类 selfie" in str(caught.value)


def test_unknown_key_is_refused_not_ignored(tmp_path):
    data = henan_data()
    data["notice"]["min_read_secs"] = 30  # a typo would otherwise silently drop the 30-second rule

    with pytest.raises(RulesFileError) as caught:
        load_file(write(tmp_path, data))

    assert "notice.min_read_secs: Extra inputs are not permitted" in str(caught.value)


def test_wrong_type_is_named(tmp_path):
    data = henan_data()
    data["materials"]["photo"]["max_bytes"] = "twenty KB"

    with pytest.raises(RulesFileError) as caught:
        load_file(write(tmp_path, data))

    assert "materials.photo.max_bytes" in str(caught.value)


def test_required_field_must_exist_in_the_section(tmp_path):
    data = henan_data()
    data["sections"]["work"]["required"].append("unit_fax")

    with pytest.raises(RulesFileError) as caught:
        load_file(write(tmp_path, data))

    assert "sections" in str(caught.value) and "unit_fax" in str(caught.value)


def test_steps_and_sections_must_agree(tmp_path):
    data = henan_data()
    data["steps"].remove("talent")

    with pytest.raises(RulesFileError) as caught:
        load_file(write(tmp_path, data))

    assert "talent" in str(caught.value)


def test_unknown_sign_in_method_is_named(tmp_path):
    data = henan_data()
    data["sign_in"]["methods"] = ["id_password", "face_scan"]

    with pytest.raises(RulesFileError) as caught:
        load_file(write(tmp_path, data))

    assert "sign_in.methods[1]" in str(caught.value)


def test_code_must_match_the_file_name(tmp_path):
    with pytest.raises(RulesFileError) as caught:
        load_file(write(tmp_path, henan_data(), name="henan2"))

    assert "must match the file name" in str(caught.value)


def test_two_files_for_one_province_are_refused(tmp_path):
    data = henan_data()
    write(tmp_path, data)
    data["code"] = "henanx"
    write(tmp_path, data, name="henanx")

    with pytest.raises(RulesFileError) as caught:
        load_directory(tmp_path)

    assert "same region code" in str(caught.value)


def test_unknown_province_in_the_deployment_list_is_refused(settings, profiles_reset):
    settings.ACCREG_PROVINCES = ["henan", "hainan"]

    with pytest.raises(RulesFileError) as caught:
        served_profiles()

    assert "hainan" in str(caught.value)


def test_the_system_does_not_start_with_a_broken_file(tmp_path):
    data = henan_data()
    del data["texts"]["region_outside"]
    write(tmp_path, data)
    env = {**os.environ, "ACCREG_PROVINCES_DIR": str(tmp_path), "DATA_DIR": str(tmp_path / "data")}

    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )

    assert result.returncode != 0
    assert "henan.toml" in result.stderr and "texts.region_outside: Field required" in result.stderr


# The province's own words (issue 14, items 23 and 24) -----------------------------------------


def refused(tmp_path: Path, data: dict) -> str:
    with pytest.raises(RulesFileError) as caught:
        load_file(write(tmp_path, data))
    return str(caught.value)


def test_an_unknown_status_is_named(tmp_path):
    data = henan_data()
    data["status_words"] = {"pending": "审核中", "rejected": "审核失败"}

    assert "status_words.rejected: Extra inputs are not permitted" in refused(tmp_path, data)


def test_two_statuses_cannot_share_a_word(tmp_path):
    data = henan_data()
    data["status_words"] = {"pending": "审核中", "returned": "审核中"}

    assert "status_words: Value error, 四种状态的名称不能相同" in refused(tmp_path, data)


def test_a_status_word_must_be_a_short_word(tmp_path):
    data = henan_data()
    data["status_words"] = {"pending": ""}

    assert "status_words.pending: String should have at least 2 characters" in refused(tmp_path, data)


def test_a_label_for_a_field_that_does_not_exist_is_named(tmp_path):
    data = henan_data()
    data["sections"]["education"]["labels"] = {"full_time.graduation_year": "毕业年份"}

    message = refused(tmp_path, data)

    assert "sections" in message and "信息项 education 没有字段 full_time.graduation_year" in message


def test_registration_fields_keep_their_names(tmp_path):
    data = henan_data()
    data["sections"]["personal"]["labels"] = {"name": "申报人"}

    assert "注册信息 name 的名称不能按省改动" in refused(tmp_path, data)


def test_a_blank_label_is_refused(tmp_path):
    data = henan_data()
    data["sections"]["work"]["labels"] = {"unit_type": " "}

    assert "sections.work.labels: Value error, 字段 unit_type 的名称应为1到30个字" in refused(tmp_path, data)


def test_the_commitment_needs_its_text_and_no_unknown_keys(tmp_path):
    data = henan_data()
    letter = {"title": "关于本人信息真实准确承诺函", "text": ""}

    assert "commitment.text: String should have at least 10 characters" in refused(
        tmp_path, {**data, "commitment": letter}
    )
    assert "commitment.body: Extra inputs are not permitted" in refused(
        tmp_path, {**data, "commitment": {"title": "承诺", "body": "本人承诺以上信息真实准确完整。"}}
    )


def test_a_navigation_bar_names_known_pages_once_starting_at_home(tmp_path):
    data = henan_data()
    home, notices = {"label": "首页", "page": "home"}, {"label": "通知公告", "page": "notices"}

    assert "navigation[1].page: Input should be 'home', 'notices', 'guides' or 'directory'" in refused(
        tmp_path, {**data, "navigation": [home, {"label": "下载", "page": "downloads"}]}
    )
    assert "navigation 中有重复的页面" in refused(tmp_path, {**data, "navigation": [home, notices, notices]})
    assert "navigation 的第一项应为首页" in refused(tmp_path, {**data, "navigation": [notices, home]})
    assert "navigation[1].label: String should have at most 6 characters" in refused(
        tmp_path, {**data, "navigation": [home, {"label": "各会计管理部门咨询电话", "page": "directory"}]}
    )
