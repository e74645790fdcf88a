"""Demo submissions waiting in Henan's queues, so the review console has work at once after
`make run`: three accountants of 郑州 filled, uploaded and submitted through the real services
(the notice's reading time taken as read), and a fourth already approved, with an archive to
change or transfer. Idempotent; never in production."""

from __future__ import annotations

import io

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from PIL import Image, ImageDraw

from accreg.accounts.identity import check_id_number
from accreg.accounts.models import Person, Staff
from accreg.accounts.people import person_by_id_number, set_identity, set_mobile
from accreg.collection.models import Record
from accreg.collection.services import save_section
from accreg.collection.submission import submit_record
from accreg.provinces.loader import served_profiles
from accreg.review.decisions import Decision, decide
from accreg.uploads.services import confirm_material, upload_material

from .cards import Certificate, IdBack, IdFront, draw_certificate, draw_id_back, draw_id_front, jpeg
from .people import DEMO_PERSON_PASSWORD, _id_number
from .portraits import portrait_jpeg

# name, ID number (first 17 digits), mobile, county, unit
DEMO_SUBMITTED = (
    ("李娜", "41010519880415002", "13900000412", "410105", "郑州金水会计服务有限公司"),
    ("王强", "41010219790923001", "13900000413", "410102", "中原区某某商贸有限公司"),
    ("赵敏", "41010519930130004", "13900000414", "410105", "河南某某科技有限公司"),
)
# Approved by the demo reviewer of 金水区, so the archive, a change and a transfer can be tried at once.
DEMO_APPROVED = ("陈静", "41010519850612002", "13900000415", "410105", "郑州某某会计师事务所")


def _image(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", size, (236, 240, 244))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle((w * 0.08, h * 0.1, w * 0.92, h * 0.9), outline=colour, width=max(2, w // 200))
    draw.ellipse((w * 0.35, h * 0.2, w * 0.65, h * 0.5), fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _certificate_number(id_number: str) -> str:
    return f"104841201005{id_number[-7:-1]}"  # 18 digits, as a graduation certificate's


def _documents(name: str, id_number: str) -> dict[str, bytes]:
    """The person's ID card and certificates, drawn to be read by the OCR worker (decision 0028)."""
    return {
        "id_front": jpeg(draw_id_front(IdFront(name, id_number))),
        "id_back": jpeg(draw_id_back(IdBack("2016.04.15", "2036.04.15"))),
        "full_time_education": jpeg(
            draw_certificate(Certificate("普通高等学校毕业证书", name, _certificate_number(id_number)))
        ),
        "full_time_degree": jpeg(draw_certificate(Certificate("学士学位证书", name, f"10484420{id_number[-9:-1]}"))),
    }


def _answers(region: str, unit: str, certificate_number: str) -> dict[str, object]:
    return {
        "personal": {"ethnicity": "01", "political_status": "13", "country": "CHN"},
        "education": {
            "full_time": {
                "level": "21",
                "degree": "4",
                "major": "120203K",
                "school": "河南财经政法大学",
                "graduation_date": "2010-07-01",
                "certificate_number": certificate_number,
            },
            "part_time": {"level": "00"},
        },
        "work": {
            "employment": "accounting_post",
            "unit_name": unit,
            "unit_credit_code": "91110000600037341L",
            "unit_region": region,
            "unit_address": "郑州市某某路1号",
            "unit_type": "110",
            "accounting_post": "02",
            "accounting_start_date": "2011-03-01",
            "accounting_years": 10,
            "technical_post": "00",
            "cpa": False,
            "tax_agent": False,
            "appraiser": False,
            "abacus_grade": "00",
        },
    }


def ensure_demo_submissions() -> int:
    if "henan" not in served_profiles():
        return 0
    made = 0
    for name, first17, mobile, region, unit in (*DEMO_SUBMITTED, DEMO_APPROVED):
        number = _id_number(first17)
        if person_by_id_number(number) is not None:
            continue
        person = Person(province="henan", name=name, password=make_password(DEMO_PERSON_PASSWORD))
        set_identity(person, check_id_number("111", number))
        set_mobile(person, mobile)
        person.mobile_verified_at = person.activated_at = timezone.now()
        person.save()
        now = timezone.now()
        Record.objects.create(person=person, notice_shown_at=now, notice_accepted_at=now)
        for section, body in _answers(region, unit, _certificate_number(number)).items():
            save_section(person, section, body)
        documents = _documents(name, number)
        for kind, size in (
            ("photo", (1200, 1600)),
            ("id_front", (1600, 1000)),
            ("id_back", (1600, 1000)),
            ("full_time_education", (1400, 1000)),
            ("full_time_degree", (1400, 1000)),
        ):
            data = documents.get(kind) or (
                portrait_jpeg(*size, background=(250, 250, 250)) if kind == "photo" else _image(size, (31, 58, 95))
            )
            upload_material(person, kind, item=0, data=data)
            confirm_material(person, kind, item=0)
        submission, _ = submit_record(person, accept_commitment=True)
        if name == DEMO_APPROVED[0]:
            reviewer = Staff.objects.filter(department_id=region, is_active=True).first()
            if reviewer is not None:
                decide(reviewer, submission.pk, Decision("approve", submission.version), ip=None)
        made += 1
    return made
