"""The collection wizard's pages as a phone browser without JavaScript uses them: every step, the
errors beside the fields, nothing typed lost, uploads with the fixed image to confirm, submit."""

import io
import re

import pytest
from PIL import Image

from accreg.accounts.models import Person
from accreg.audit.models import AuditEvent
from accreg.collection.models import Record
from tests.collection.answers import CREDIT_CODE
from tests.conftest import CommittingClient
from tests.pictures import busy_jpeg, portrait_jpeg

pytestmark = pytest.mark.django_db

PERSONAL = {"ethnicity": "01", "political_status": "13", "country": "CHN", "email": "wang@example.com"}


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def jpeg(width: int, height: int) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 90)).save(buffer, "JPEG", quality=95)
    buffer.seek(0)
    buffer.name = "photo.jpg"
    return buffer


def test_the_wizard_starts_at_the_notice_and_counts_the_steps(page):
    browser = page("henan", region="410105")

    start = browser.get("/henan/record/")
    notice = text(browser.get(start["Location"]))

    assert start["Location"] == "/henan/record/notice/"
    assert "第 1 步，共 11 步" in notice and "<h1>阅读须知</h1>" in notice
    assert 'data-wait="30"' in notice  # HN 3.1: thirty seconds of reading
    assert "<li>在我省报考会计专业技术中高级资格考试的人员必须提前完成信息采集</li>" in notice


def test_agreeing_to_the_notice_too_soon_is_refused_by_the_server(page):
    browser = page("henan", region="410105")
    browser.get("/henan/record/notice/")

    refused = browser.post("/henan/record/notice/", {"action": "next"})

    assert refused.status_code == 400
    assert re.search(r"请认真阅读须知，\d+秒后可勾选同意", text(refused))
    assert Record.objects.get().notice_accepted_at is None


def test_a_section_with_a_bad_value_keeps_everything_typed_and_says_why_beside_the_field(page):
    browser = page()
    form = {"employment": "employed", "unit_name": "重庆某某有限公司", "unit_credit_code": "91110000600037341X"}
    form |= {"unit_phone": "2320000000", "unit_region": "500103", "action": "next"}

    response = browser.post("/chongqing/record/work/", form)
    body = text(response)

    assert response.status_code == 400
    assert "请检查标出的内容" in body
    assert 'value="重庆某某有限公司"' in body and 'value="91110000600037341X"' in body
    field = body[body.index('id="w-unit_credit_code"') :]
    assert field.index("统一社会信用代码应为18位且校验位正确") < field.index('id="w-unit_address"')
    assert "固定电话请带区号" in body or "单位电话请填手机号码" in body
    assert Record.objects.get().sections == {}


def test_a_saved_section_goes_on_to_the_next_step_and_proposes_the_department(page):
    browser = page()
    form = {
        "employment": "employed",
        "unit_name": "重庆某某有限公司",
        "unit_credit_code": CREDIT_CODE,
        "unit_region": "500103",
        "unit_phone": "02320000000",
        "action": "next",
    }

    response = browser.post("/chongqing/record/work/", form)
    again = text(browser.get("/chongqing/record/work/"))

    assert response.status_code == 302 and response["Location"] == "/chongqing/record/qualifications/"
    assert "渝中区财政局" in again  # proposed for the unit's district, and selected
    assert re.search(r'<option value="500103" selected>渝中区财政局</option><option value="500000">重庆市财政局', again)
    assert "待填写" in again or "请填写" in again  # still missing, said softly beside the fields


def test_list_records_are_added_and_removed_without_losing_the_others(page):
    browser = page()
    first = {"0.type": "1", "0.level": "1", "0.obtained_date": "2016-05-20", "0.certificate_number": "A1"}

    added = text(browser.post("/chongqing/record/qualifications/", {**first, "action": "add"}))
    two = {**first, "1.certificate_number": "B2", "action": "remove:0"}
    removed = text(browser.post("/chongqing/record/qualifications/", two))

    assert "第2条" in added and 'value="A1"' in added
    assert 'value="B2"' in removed and 'value="A1"' not in removed and "第2条" not in removed


def test_a_half_filled_list_record_is_refused_with_the_fields_named(page):
    browser = page()

    response = browser.post("/chongqing/record/qualifications/", {"0.certificate_number": "A1", "action": "save"})

    assert response.status_code == 400
    assert "已填写本条记录的其他内容，请同时选择专业技术资格类型" in text(response)


def test_liaoning_lets_the_person_correct_their_name_and_audits_it(page):
    browser = page("liaoning", region="210102")

    response = browser.post("/liaoning/record/personal/", {**PERSONAL, "name": "张伟伟", "action": "save"})

    assert response.status_code == 302
    assert Person.objects.get().name == "张伟伟"
    assert AuditEvent.objects.filter(action="person.renamed").count() == 1


def test_other_provinces_keep_the_name_of_the_registration(page):
    browser = page()

    response = browser.post("/chongqing/record/personal/", {**PERSONAL, "name": "张伟伟", "action": "save"})

    assert response.status_code == 400
    assert "姓名不在此修改" in text(response)
    assert Person.objects.get().name == "张伟"


def test_an_oversized_photo_is_fixed_shown_and_waits_for_the_person_to_confirm(page):
    browser = page("yunnan", region="530102")

    camera = io.BytesIO(portrait_jpeg(3000, 4000))
    camera.name = "photo.jpg"
    uploaded = browser.post("/yunnan/record/attachments/", {"kind": "photo", "item": "0", "file": camera})
    shown = text(browser.get("/yunnan/record/attachments/"))
    image = browser.get("/yunnan/record/materials/photo/0/")

    assert uploaded.status_code == 302 and uploaded["Location"].endswith("#m-photo-0")
    assert "系统已处理图片，请查看后确认" in shown
    assert "原图 3000×4000" in shown and "确认使用这张图片" in shown
    assert image["Content-Type"] == "image/jpeg" and image["Cache-Control"] == "private, no-store"
    assert Image.open(io.BytesIO(b"".join(image.streaming_content))).size == (295, 413)

    browser.post("/yunnan/record/attachments/", {"kind": "photo", "item": "0", "action": "confirm"})
    confirmed = text(browser.get("/yunnan/record/attachments/"))
    assert "已确认使用处理后的图片" in confirmed and "确认使用这张图片" not in confirmed


def test_a_photo_without_a_face_is_refused_with_what_to_do_on_the_page(page):
    browser = page("yunnan", region="530102")
    wall = io.BytesIO(busy_jpeg(1200, 1600))
    wall.name = "IMG_0002.jpg"

    refused = browser.post("/yunnan/record/attachments/", {"kind": "photo", "item": "0", "file": wall})
    shown = text(browser.get("/yunnan/record/attachments/"))

    assert refused.status_code == 302
    assert 'class="error" role="alert">未能在照片中找到人脸，请上传本人正面免冠照片' in shown
    assert browser.get("/yunnan/record/materials/photo/0/").status_code == 404


def test_what_is_not_an_image_is_refused_with_the_reason_in_chinese(page):
    browser = page("yunnan", region="530102")
    fake = io.BytesIO(b"%PDF-1.4 not an image")
    fake.name = "scan.jpg"

    browser.post("/yunnan/record/attachments/", {"kind": "id_front", "item": "0", "file": fake})
    shown = text(browser.get("/yunnan/record/attachments/"))

    assert re.search(r'class="error" role="alert">[^<]*(图片|格式)', shown)


def test_another_persons_material_is_not_found(page):
    owner = page("yunnan", region="530102")
    owner.post("/yunnan/record/attachments/", {"kind": "id_front", "item": "0", "file": jpeg(800, 600)})
    stranger = page("yunnan", region="530103", mobile="13812345678")

    assert stranger.get("/yunnan/record/materials/id_front/0/").status_code == 404


def test_submitting_an_incomplete_record_lists_what_is_missing_with_links(page):
    browser = page()

    response = browser.post("/chongqing/record/commitment/", {"accept_commitment": "on"})
    body = text(response)

    assert response.status_code == 400
    assert "信息尚未填写完整" in body
    assert '<li><a href="/chongqing/record/education/">请选择全日制最高学历</a></li>' in body
    assert body.index('href="/chongqing/record/education/"') < body.index('href="/chongqing/record/work/"')
    assert '<li><a href="/chongqing/record/work/">请选择是否在岗</a></li>' in body  # CQ 2.3's words


def test_wizard_pages_need_a_signed_in_person_of_that_portal(page, client):
    assert client.get("/chongqing/record/work/")["Location"] == "/chongqing/login/"
    browser = page("chongqing")
    assert browser.get("/henan/record/work/")["Location"] == "/chongqing/me/"
    assert browser.get("/chongqing/record/talent/").status_code == 404  # Chongqing has no talent step


def test_liaoning_prints_the_basic_information_form_with_its_font_embedded(page):
    from pypdf import PdfReader

    browser = page("liaoning", region="210102")
    browser.post("/liaoning/record/personal/", {**PERSONAL, "action": "save"})
    work = {"employment": "employed", "unit_name": "沈阳某某会计服务有限公司", "unit_region": "210102"}
    work["action"] = "save"
    browser.post("/liaoning/record/work/", work)

    response = browser.get("/liaoning/record/basic-info.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    # pypdf reads fpdf2's two-byte codes with a NUL before each character; poppler reads them clean.
    text_of_pdf = "".join(p.extract_text() for p in reader.pages).replace("\x00", "")
    fonts = [f for p in reader.pages for f in p["/Resources"]["/Font"].values()]
    descriptor = fonts[0].get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]

    assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "private, no-store"
    assert "会计专业技术人员基本信息表" in text_of_pdf
    assert "张伟" in text_of_pdf and "沈阳某某会计服务有限公司" in text_of_pdf and "和平区" in text_of_pdf
    assert "本人签字" in text_of_pdf and "单位（盖章）" in text_of_pdf  # employed: the unit seals it too
    assert any(k in descriptor for k in ("/FontFile2", "/FontFile3"))  # embedded, not just named


def test_only_provinces_with_the_form_print_it(page):
    assert page("chongqing").get("/chongqing/record/basic-info.pdf").status_code == 404


def test_the_summary_says_what_is_missing_before_the_person_presses_submit(page):
    browser = page("liaoning", region="210102")

    body = text(browser.get("/liaoning/record/commitment/"))

    assert "还需补充" in body
    assert '<li><a href="/liaoning/record/notice/">请先阅读并同意信息采集须知</a></li>' in body
    assert '<a href="/liaoning/record/attachments/">请上传近期1寸免冠照</a>' in body


def test_an_upload_can_be_replaced_and_deleted(page):
    from accreg.uploads.models import Material

    browser = page("yunnan", region="530102")
    browser.post("/yunnan/record/attachments/", {"kind": "id_front", "item": "0", "file": jpeg(800, 600)})
    first = Material.objects.get().file.name

    browser.post("/yunnan/record/attachments/", {"kind": "id_front", "item": "0", "file": jpeg(1000, 700)})
    replaced = Material.objects.get()
    browser.post("/yunnan/record/attachments/", {"kind": "id_front", "item": "0", "action": "delete"})
    shown = text(browser.get("/yunnan/record/attachments/"))

    assert replaced.file.name != first and (replaced.width, replaced.height) == (1000, 700)
    assert not replaced.file.storage.exists(first)  # the old file does not linger
    assert Material.objects.count() == 0 and "已删除" in shown


def test_a_submitted_record_is_shown_read_only_and_its_steps_lead_to_the_summary(page):
    browser = page()
    Record.objects.create(person=Person.objects.get(), status="approved")

    redirected = browser.get("/chongqing/record/work/")
    summary = text(browser.get("/chongqing/record/commitment/"))
    refused = browser.post("/chongqing/record/work/", {"employment": "student", "action": "save"})

    assert redirected["Location"] == "/chongqing/record/commitment/"
    assert "您已采集过信息，无需重复采集" in summary and "提交审核" not in summary and ">修改</a>" not in summary
    assert refused["Location"] == "/chongqing/record/commitment/"
    assert Record.objects.get().sections == {}


def test_the_work_proof_template_is_filled_from_the_record(page):
    from pypdf import PdfReader

    from tests.collection.answers import CHONGQING_EMPLOYED_WORK

    browser = page()
    work = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in CHONGQING_EMPLOYED_WORK.items()}
    browser.post("/chongqing/record/work/", {**work, "action": "save"})

    response = browser.get("/chongqing/record/work-proof.pdf")
    text_of_pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).replace("\x00", "")
    attachments = text(browser.get("/chongqing/record/attachments/"))

    person = Person.objects.get()
    from accreg.accounts.people import id_number_of

    assert "工作证明" in text_of_pdf and "渝中区" in text_of_pdf and person.name in text_of_pdf
    assert id_number_of(person) in text_of_pdf and "系我单位出纳岗位工作人员" in text_of_pdf.replace("\n", "")
    assert "单位名称（盖章）：重庆某某有限公司" in text_of_pdf  # CQ appendix 2: the unit named, for its seal
    assert "work-proof.pdf" in attachments


def test_yunnan_work_proof_ticks_the_persons_post(page):
    from pypdf import PdfReader

    browser = page("yunnan", region="530102")
    work = {"employment": "employed", "unit_region": "530102", "accounting_post": "02", "action": "save"}
    browser.post("/yunnan/record/work/", work)

    response = browser.get("/yunnan/record/work-proof.pdf")
    text_of_pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).replace("\x00", "")

    assert "■ 出纳" in text_of_pdf and "□ 稽核" in text_of_pdf  # ■: the embedded font has no ☑
    assert "□ 审计部门" in text_of_pdf and "总会计师" not in text_of_pdf  # YN 12's own list, as printed
    assert text_of_pdf.count("□") + text_of_pdf.count("■") == 13
    assert "五华区财政局" in text_of_pdf and "＿＿＿＿＿＿" in text_of_pdf  # no credit code yet: a line to fill


def test_provinces_without_a_work_proof_template_have_none(page):
    assert page("henan", region="410105").get("/henan/record/work-proof.pdf").status_code == 404


def test_liaoning_has_a_unit_certificate_template_as_ln_10_names_one(page):
    from pypdf import PdfReader

    browser = page("liaoning", region="210102")
    work = {
        "employment": "employed",
        "unit_name": "沈阳某某会计服务有限公司",
        "unit_region": "210102",
        "action": "save",
    }
    browser.post("/liaoning/record/work/", work)

    response = browser.get("/liaoning/record/work-proof.pdf")
    text_of_pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).replace("\x00", "")

    assert response.status_code == 200 and "工作单位证明" in text_of_pdf
    assert "本单位名称：沈阳某某会计服务有限公司" in text_of_pdf and "单位（盖章）" in text_of_pdf


def test_an_activated_legacy_person_finds_the_archives_qualification_filled_in(legacy_person, page):
    from accreg.accounts.middleware import FINGERPRINT_KEY, SESSION_KEY, _fingerprint

    person = legacy_person()
    person.legacy_data = {"qualification_level": "02", "qualification_date": "2016-05-21", "certificate_number": "Z42"}
    person.password, person.mobile_hash = "x", "y"  # activated (activation itself is tested in tests/api)
    person.save()
    browser = CommittingClient()
    session = browser.session
    session[SESSION_KEY], session[FINGERPRINT_KEY] = person.pk, _fingerprint(person)
    session.save()

    shown = text(browser.get("/liaoning/record/qualifications/"))

    assert "以下内容来自原有会计人员档案，请核对，并补充未填写的项目后保存" in shown
    assert re.search(r'<option value="02" selected>中级</option>', shown)
    assert 'value="2016-05-21"' in shown and 'value="Z42"' in shown
    assert Record.objects.get(person=person).sections["qualifications"][0]["level"] == "02"


def test_a_field_only_some_answers_require_is_never_marked_optional(page):
    browser = page()
    work = {"employment": "employed", "unit_region": "500103", "accounting_post": "00", "technical_post": "00"}
    browser.post("/chongqing/record/work/", {**work, "action": "save"})
    not_in_a_post = text(browser.get("/chongqing/record/work/"))
    browser.post("/chongqing/record/work/", {**work, "accounting_post": "02", "action": "save"})
    in_a_post = text(browser.get("/chongqing/record/work/"))

    label = r'<label for="f-accounting_start_date">开始从事会计工作时间(.*?)</label>'
    assert re.search(label, not_in_a_post).group(1) == '<span class="opt">（在会计岗位工作的必填）</span>'
    assert "请填写开始从事会计工作时间" not in not_in_a_post
    assert re.search(label, in_a_post).group(1) == '<span class="req" aria-hidden="true">*</span>'
    assert "请填写开始从事会计工作时间" in in_a_post  # asked for, and marked as required


def test_a_save_that_keeps_losing_the_race_says_so_and_keeps_everything_typed(page, monkeypatch):
    """The save holds no lock (decision 0031): when another writer changes the record between
    each of its three reads and writes, the page says to save again, with what was typed."""
    from accreg.collection import services
    from accreg.plain_sql import update_fields

    browser = page()
    form = {"employment": "employed", "unit_name": "重庆某某有限公司", "unit_region": "500103", "action": "next"}

    def another_device_saves_first(record, names, **kwargs):  # type: ignore[no-untyped-def]
        Record.objects.filter(pk=record.pk).update(version=record.version + 10)  # a real write, each time
        return update_fields(record, names, **kwargs)

    monkeypatch.setattr(services, "update_fields", another_device_saves_first)
    response = browser.post("/chongqing/record/work/", form)
    body = text(response)

    assert response.status_code == 409
    assert "您的信息正在别处同时保存，请稍后再保存一次" in body
    assert 'value="重庆某某有限公司"' in body
    assert "work" not in Record.objects.get().sections
