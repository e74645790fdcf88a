"""import_people: loading a province's archive of legacy people (原有会计人员) from CSV or XLSX."""

import csv
import datetime
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from stdnum.cn import ric

from accreg.accounts.identity import check_id_number
from accreg.accounts.legacy_import import _FirstRows, import_legacy_people
from accreg.accounts.models import Person
from accreg.accounts.people import (
    id_hash,
    id_number_of,
    mobile_hash,
    mobile_of,
    person_by_id_number,
    set_identity,
    set_mobile,
)
from accreg.accounts.services.recovery import activate_legacy_person
from accreg.accounts.services.sms_codes import request_code
from accreg.audit.models import AuditEvent
from accreg.errors import DomainError
from tests.conftest import latest_code

pytestmark = pytest.mark.django_db

HEADER = ["name", "id_number", "id_type", "mobile", "gender", "qualification_level", "qualification_date",
          "certificate_number", "department"]  # fmt: skip


def id_number(region: str = "210102", birth: str = "19800101", seq: str = "123") -> str:
    """A 居民身份证 number with a real check digit; an odd last sequence digit means a man."""
    first17 = region + birth + seq
    return first17 + ric.calc_check_digit(first17 + "0")


def wrong_check_digit(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as out:
        csv.writer(out).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def run(path: Path, province: str = "liaoning") -> list[str]:
    out = StringIO()
    call_command("import_people", str(path), "--province", province, stdout=out)
    return out.getvalue().splitlines()


def snapshot() -> list[tuple[object, ...]]:
    return list(
        Person.objects.order_by("pk").values_list(
            "pk", "name", "id_number_encrypted", "mobile_encrypted", "gender", "department_id", "legacy_data"
        )
    )


def test_a_csv_archive_becomes_legacy_people_who_must_activate(tmp_path):
    zhang, li = id_number(seq="123"), id_number(region="210103", birth="19751231", seq="246")
    path = write_csv(
        tmp_path / "liaoning-archive.csv",
        [
            HEADER,
            ["张伟", zhang, "111", "13912345678", "1", "02", "2010-05-20", "A2010-0001", "210102"],
            ["李娜", li, "", "", "", "", "", "", ""],
        ],
    )

    output = run(path)

    assert output == ["新增 2，更新 0，未变 0，拒绝 0"]
    person = person_by_id_number(zhang)
    assert person is not None
    assert (person.province, person.name, person.is_legacy, person.password) == ("liaoning", "张伟", True, "")
    assert person.needs_activation
    assert person.id_number_masked == zhang[:3] + "*" * 11 + zhang[-4:]
    assert id_number_of(person) == zhang
    assert (person.birth_date, person.gender) == (datetime.date(1980, 1, 1), "1")
    assert (mobile_of(person), person.mobile_masked, person.mobile_verified_at) == (
        "13912345678",
        "139****5678",
        None,
    )
    assert person.department_id == "210102"
    assert person.legacy_data == {
        "qualification_level": "02",
        "qualification_date": "2010-05-20",
        "certificate_number": "A2010-0001",
    }
    other = person_by_id_number(li)
    assert other is not None
    assert (other.id_type, other.birth_date, other.gender) == ("111", datetime.date(1975, 12, 31), "2")
    assert (other.mobile_hash, other.mobile_encrypted, other.department_id, other.legacy_data) == (
        None,
        "",
        None,
        {},
    )
    event = AuditEvent.objects.get(action="people.imported")
    assert (event.actor, event.details) == (
        "system",
        {"province": "liaoning", "file": "liaoning-archive.csv", "created": 2, "updated": 0, "unchanged": 0,
         "rejected": 0},
    )  # fmt: skip


def test_bad_rows_are_reported_by_row_number_and_good_rows_still_load(tmp_path):
    taken = write_csv(tmp_path / "yn.csv", [HEADER, ["王芳", id_number("530102", seq="002"), "", "13800000001"]])
    run(taken, "yunnan")
    good = id_number(seq="011")
    rows = [
        HEADER,
        ["赵一", good, "", "13800000002", "", "", "", "", "210102"],  # row 2
        ["钱二", wrong_check_digit(id_number(seq="013"))],  # row 3
        ["孙三", id_number(birth="19900231")],  # row 4
        ["周四", id_number(birth="20990101")],  # row 5
        ["吴五", "410105800101123"],  # row 6: 15 digits
        ["", id_number(seq="015")],  # row 7
        ["郑六", id_number(seq="017"), "", "", "", "", "", "", "219999"],  # row 8
        ["冯七", id_number(seq="019"), "", "", "", "", "", "", "410105"],  # row 9
        ["陈八", id_number(seq="021"), "", "12345"],  # row 10
        ["褚九", id_number(seq="023"), "", "13800000001"],  # row 11: the mobile is 王芳's
        ["卫十", good],  # row 12: same number as row 2
        ["蒋十一", id_number(seq="025"), "", "", "2"],  # row 13: the number says 男
        ["沈十二", id_number(seq="027"), "", "", "", "05"],  # row 14
        ["韩十三", id_number(seq="029"), "", "", "", "", "2010/05/20"],  # row 15
        ["杨十四", id_number(seq="031"), "", "13800000002"],  # row 16: same mobile as row 2
        ["朱十五", id_number(seq="033"), "414", "", "", "", "", "", ""],  # row 17: a passport number
        ["秦十六", "E12345678", "护照", "", "女"],  # row 18: a passport, by label
    ]
    path = write_csv(tmp_path / "liaoning.csv", rows)

    output = run(path)

    assert output == [
        "新增 2，更新 0，未变 0，拒绝 15",
        "row 3: 身份证号码校验位不正确，请核对后重新填写",
        "row 4: 身份证号码中的出生日期不是有效日期",
        "row 5: 身份证号码中的出生日期晚于今天",
        "row 6: 这是15位的第一代身份证号码，请填写18位的第二代居民身份证号码",
        "row 7: 请填写姓名",
        "row 8: 管理部门代码 219999 不存在",
        "row 9: 管理部门 金水区财政局（410105）不属于辽宁省",
        "row 10: 请填写正确的11位手机号码",
        "row 11: 该手机号码已属于其他人员（一个手机号码只能对应一个证件号码）",
        "row 12: 与第2行证件号码重复",
        "row 13: 性别与证件号码不符（号码显示为男）",
        "row 14: 专业技术资格级别“05”不在代码表中，可填：01 初级、02 中级、03 高级、04 正高级",
        "row 15: 取得资格日期“2010/05/20”应为 YYYY-MM-DD 格式的有效日期，如 2010-05-20",
        "row 16: 与第2行手机号码重复",
        "row 17: 护照号码应为5至17位字母或数字",
    ]
    assert Person.objects.filter(province="liaoning").count() == 2
    passport = Person.objects.get(name="秦十六")
    assert (passport.id_type, passport.gender, passport.birth_date) == ("414", "2", None)
    assert Person.objects.get(name="王芳").province == "yunnan"  # the mobile stays with its owner


def test_rerunning_the_same_file_reports_everything_unchanged(tmp_path):
    path = write_csv(
        tmp_path / "archive.csv",
        [
            HEADER,
            ["张伟", id_number(seq="123"), "", "13912345678", "", "01", "2001-01-01", "", "210102"],
            ["李娜", id_number(seq="124")],
            ["王五", wrong_check_digit(id_number(seq="125"))],
        ],
    )
    run(path)
    before = snapshot()

    output = run(path)

    assert output == ["新增 0，更新 0，未变 2，拒绝 1", "row 4: 身份证号码校验位不正确，请核对后重新填写"]
    assert snapshot() == before
    assert list(AuditEvent.objects.filter(action="people.imported").values_list("details", flat=True)) == [
        {
            "province": "liaoning",
            "file": "archive.csv",
            "created": 0,
            "updated": 0,
            "unchanged": 2,
            "rejected": 1,
        },
        {
            "province": "liaoning",
            "file": "archive.csv",
            "created": 2,
            "updated": 0,
            "unchanged": 0,
            "rejected": 1,
        },
    ]


def test_a_corrected_file_updates_people_who_have_not_activated(tmp_path):
    number = id_number(seq="123")
    run(write_csv(tmp_path / "v1.csv", [HEADER, ["张伟", number, "", "", "", "01", "", "", "210102"]]))

    output = run(write_csv(tmp_path / "v2.csv", [HEADER, ["张伟", number, "", "13912345678", "", "02"]]))

    assert output == ["新增 0，更新 1，未变 0，拒绝 0"]
    person = person_by_id_number(number)
    assert person is not None
    assert (person.legacy_data, person.department_id, mobile_of(person)) == (
        {"qualification_level": "02"},
        "210102",  # a blank cell keeps what is stored
        "13912345678",
    )


def test_an_activated_person_is_never_overwritten(tmp_path, django_capture_on_commit_callbacks):
    number = id_number(seq="123")
    run(write_csv(tmp_path / "v1.csv", [HEADER, ["张伟", number]]))
    with django_capture_on_commit_callbacks(execute=True):
        request_code("13912345678", purpose="bind", ip=None, province="liaoning")
    activate_legacy_person(
        "张伟",
        number,
        mobile="13912345678",
        sms_code=latest_code("13912345678"),
        password="kuaiji2026",
        ip=None,
    )
    before = snapshot()

    output = run(write_csv(tmp_path / "v2.csv", [HEADER, ["张薇", number, "", "13700000000", "", "03"]]))

    assert output == ["新增 0，更新 0，未变 1，拒绝 0"]
    assert snapshot() == before
    person = person_by_id_number(number)
    assert person is not None
    assert not person.needs_activation


def test_a_person_of_another_province_is_left_alone(tmp_path):
    number = id_number(seq="123")
    run(write_csv(tmp_path / "yn.csv", [HEADER, ["张伟", number]]), "yunnan")

    output = run(write_csv(tmp_path / "ln.csv", [HEADER, ["张伟", number, "", "", "", "02"]]))

    assert output == ["新增 0，更新 0，未变 1，拒绝 0"]
    assert Person.objects.get().province == "yunnan"


def test_an_xlsx_archive_with_number_and_date_cells(tmp_path):
    number = id_number(seq="124")
    path = write_xlsx(
        tmp_path / "archive.xlsx",
        [
            ["Name", "ID_Number", "mobile", "qualification_level", "qualification_date", "department"],
            ["李娜", number, 13912345678, 2, datetime.datetime(2012, 9, 1), 210102],
            [None, None, None, None, None, None],  # a blank row is skipped
            ["王强", id_number(seq="125"), None, "初级", "2015-06-30", "210102"],
            ["刘洋", float(id_number(seq="127")), None, None, None, None],  # Excel kept 15 digits
        ],
    )

    output = run(path)

    assert output == [
        "新增 2，更新 0，未变 0，拒绝 1",
        "row 5: 证件号码在 Excel 中存成了数字，第15位以后已丢失；请将该列设为文本格式后重新导出",
    ]
    person = person_by_id_number(number)
    assert person is not None
    assert (mobile_of(person), person.department_id, person.legacy_data) == (
        "13912345678",
        "210102",
        {"qualification_level": "02", "qualification_date": "2012-09-01"},
    )
    assert Person.objects.get(name="王强").legacy_data == {
        "qualification_level": "01",
        "qualification_date": "2015-06-30",
    }


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_a_csv_saved_by_chinese_excel_loads(tmp_path, encoding):
    number = id_number(seq="124")
    path = write_csv(
        tmp_path / "archive.csv",
        [["name", "id_number", "gender", "qualification_level"], ["欧阳娜娜", number, "女", "中级"]],
        encoding=encoding,
    )

    output = run(path)

    assert output == ["新增 1，更新 0，未变 0，拒绝 0"]
    person = person_by_id_number(number)
    assert person is not None
    assert (person.name, person.gender, person.legacy_data) == (
        "欧阳娜娜",
        "2",
        {"qualification_level": "02"},
    )


def test_unknown_columns_are_a_warning_not_an_error(tmp_path):
    path = write_csv(tmp_path / "archive.csv", [["name", "id_number", "备注", "unit"], ["张伟", id_number(), "x", "y"]])

    output = run(path)

    assert output == ["注意：以下列无法识别，已忽略：备注、unit", "新增 1，更新 0，未变 0，拒绝 0"]
    assert Person.objects.get().legacy_data == {}


def test_a_province_without_legacy_activation_is_loaded_with_a_warning(tmp_path):
    path = write_csv(tmp_path / "archive.csv", [["name", "id_number"], ["张伟", id_number("410105")]])

    output = run(path, "henan")

    assert output == [
        "注意：河南省门户未开启原有用户激活（sign_in.legacy_activation）",
        "新增 1，更新 0，未变 0，拒绝 0",
    ]
    assert Person.objects.get().province == "henan"


def test_large_files_are_written_in_batches_with_a_few_queries_each(tmp_path, django_assert_max_num_queries):
    rows = [["name", "id_number", "mobile"]]
    rows += [["张伟", id_number(seq=f"{n:03d}"), f"139{n:08d}"] for n in range(120)]
    rows.append(["李娜", id_number(seq="005"), ""])  # duplicate of a row in the first batch
    path = write_csv(tmp_path / "archive.csv", rows)

    with django_assert_max_num_queries(25):  # 3 batches of about 7 queries, not one per row
        report = import_legacy_people(path, province="liaoning", batch_size=50)

    assert (report.created, report.updated, report.unchanged, report.rejected) == (
        120,
        0,
        0,
        ((122, "与第7行证件号码重复"),),
    )
    assert Person.objects.filter(is_legacy=True, password="").count() == 120
    assert Person.objects.filter(id_number_hash=id_hash(id_number(seq="119"))).exists()


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.csv", "找不到文件"),
        (lambda d: write_bytes(d / "archive.pdf", b"%PDF-1.4"), "只能导入 CSV 或 XLSX 文件"),
        (lambda d: write_bytes(d / "archive.xls", b"\xd0\xcf\x11\xe0"), "不支持旧版 Excel（.xls）文件"),
        (lambda d: write_bytes(d / "archive.xlsx", b"name,id_number\n"), "不是有效的 XLSX 工作簿"),
        (lambda d: write_bytes(d / "empty.csv", b""), "文件是空的"),
        (lambda d: write_bytes(d / "archive.csv", b"name\n\xe5\xbc\xa0\n"), "缺少必需的列：id_number"),
        (lambda d: write_bytes(d / "archive.csv", b"\xff\xfe\x00n\x00a"), "不是文本格式的 CSV"),
    ],
)
def test_a_file_that_cannot_be_read_stops_the_command(tmp_path, make, message):
    path = make(tmp_path)

    with pytest.raises(CommandError) as caught:
        run(path)

    assert message in str(caught.value)
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="people.imported").exists()


def test_an_unknown_province_stops_the_command(tmp_path):
    path = write_csv(tmp_path / "archive.csv", [["name", "id_number"], ["张伟", id_number()]])

    with pytest.raises(CommandError) as caught:
        run(path, "hubei")

    assert "未开通的省份：hubei" in str(caught.value)
    assert not Person.objects.exists()


def test_a_mobile_registered_while_a_batch_is_written_rejects_only_its_row(tmp_path):
    rows = [["name", "id_number", "mobile"]]
    rows += [["张伟", id_number(seq=f"{n:03d}"), f"139{n:08d}"] for n in range(3)]
    path = write_csv(tmp_path / "archive.csv", rows)
    registered: list[Person] = []

    def register_meanwhile(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        result = execute(sql, params, many, context)
        if not registered and ('"mobile_hash" IN (' in sql or '"mobile_hash" = ANY(' in sql):
            # someone registers with the second row's mobile right after the batch looked it up
            registered.append(Person(province="liaoning", name="王芳", password="x"))
            set_identity(registered[0], check_id_number("111", id_number(seq="901")))
            set_mobile(registered[0], "13900000001")
            registered[0].save()
        return result

    with connection.execute_wrapper(register_meanwhile):
        report = import_legacy_people(path, province="liaoning")

    assert (report.created, report.updated, report.unchanged, report.rejected) == (
        2,
        0,
        0,
        ((3, "导入期间该证件号码或手机号码已被他人注册，请重新导入以核对该行"),),
    )
    assert Person.objects.get(mobile_hash=mobile_hash("13900000001")).name == "王芳"
    assert Person.objects.filter(is_legacy=True).count() == 2


def test_a_row_the_csv_reader_cannot_read_stops_the_import_after_the_batches_before_it(tmp_path):
    rows = [["name", "id_number"]] + [["张伟", id_number(seq=f"{n:03d}")] for n in range(120)]
    rows.append(["李娜", "x" * 200_000])  # longer than the csv module's field limit
    path = write_csv(tmp_path / "archive.csv", rows)

    with pytest.raises(DomainError) as caught:
        import_legacy_people(path, province="liaoning", batch_size=50)

    assert "第122行无法按 CSV 读取" in caught.value.message
    assert Person.objects.count() == 100  # two batches of 50 were written; the 20 rows after them are not
    assert not AuditEvent.objects.filter(action="people.imported").exists()


def test_the_table_of_first_rows_answers_as_a_dict_while_it_grows():
    # The import remembers which row first carried each ID number and mobile in a compact table
    # (a million rows would take 150 MB as a dict); it must answer exactly as a dict would.
    table, expected = _FirstRows(), {}
    keys: list[int | str] = [n * 7919 % 1_000_003 for n in range(100_000)] + [2**60, 0, "A1234567", "军字第12345号"]
    for row, key in enumerate(keys + keys[::3], start=2):
        assert table.setdefault(key, row) == expected.setdefault(key, row), key
