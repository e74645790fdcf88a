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
