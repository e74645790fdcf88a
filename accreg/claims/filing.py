"""Filing a claim (提交证件号占用申诉) and what the claimant does without an account: look up the
claim by its reference and mobile, and set the password once the account is theirs (issue 15, 4)."""

from __future__ import annotations

import datetime
import secrets
import uuid
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accreg.accounts.identity import check_id_number, check_name, normalise_mobile
from accreg.accounts.models import Person
from accreg.accounts.people import mobile_hash, person_by_id_number, person_by_mobile
from accreg.accounts.sensitive import encrypt, mask_mobile
from accreg.accounts.services.lockout import clear_failures
from accreg.accounts.services.passwords import check_password_policy
from accreg.accounts.services.registration import LEGACY, MOBILE_TAKEN
from accreg.accounts.services.sms_codes import consume_code, verify_code
from accreg.audit.services import log_event
from accreg.errors import ConflictError, DomainError, FieldChecks, NotFoundError, RateLimitedError
from accreg.notifications.tasks import queue_sms
from accreg.provinces.loader import all_profiles, served_profile
from accreg.uploads.imaging import ImageRefused, ImageRule, process_image

from .models import ClaimPhoto, ClaimStatus, IdClaim

MAX_STATEMENT = 500
# Per ID number, whoever files (rate limit "like registrations", on the account's side): a
# stranger cannot bury the department in claims against one account. Per IP: limit_by_ip.
CLAIMS_PER_ID_NUMBER_PER_DAY = 3
# Photos go through the upload pipeline: decoded, turned upright, EXIF stripped, re-encoded;
# a document's side kept at most 2400 px and the file compressed under 2 MB.
PHOTO_RULE = ImageRule(formats=("jpeg",), max_bytes=2 * 1024 * 1024 - 1)
REFERENCE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no look-alikes (0/O, 1/I)
NOT_FOUND = "没有找到该申诉，请核对受理编号和申请时填写的手机号"
OWN_MOBILE = "该手机号就是此证件号码账户绑定的手机号，无需申诉：请直接登录，或通过“忘记密码”重设密码"


@dataclass(frozen=True)
class ClaimForm:
    province: str
    name: str
    id_type: str
    id_number: str
    mobile: str
    sms_code: str
    statement: str = ""


def _new_reference() -> str:
    return "SS" + "".join(secrets.choice(REFERENCE_LETTERS) for _ in range(10))


def _photo(checks: FieldChecks, field: str, data: bytes) -> bytes | None:
    try:
        return process_image(data, PHOTO_RULE).content
    except ImageRefused as exc:
        checks.add(field, str(exc))
        return None


def _claimed_account(number: str, mobile: str) -> Person:
    """The account the ID number is registered to, if a claim on it makes sense from this mobile."""
    person = person_by_id_number(number)
    if person is None:
        msg = "该证件号码尚未注册，无需申诉，请直接注册"
        raise ConflictError("id_number_not_taken", msg, fields={"id_number": [msg]})
    if person.needs_activation and all_profiles()[person.province].sign_in.legacy_activation:
        raise ConflictError("legacy_activation_required", LEGACY, fields={"id_number": [LEGACY]})
    owner = person_by_mobile(mobile)
    if owner is not None and owner.pk == person.pk:
        raise ConflictError("own_mobile", OWN_MOBILE, fields={"mobile": [OWN_MOBILE]})
    if owner is not None:  # one mobile, one ID number (CQ 1.2 ②): the claimant's number must be free
        raise ConflictError("mobile_taken", MOBILE_TAKEN, fields={"mobile": [MOBILE_TAKEN]})
    return person


def _refuse_repeats(person: Person, key: str) -> None:
    pending = IdClaim.objects.filter(person=person, mobile_hash=key, status=ClaimStatus.PENDING).first()
    if pending is not None:
        msg = f"您已提交过申诉（受理编号 {pending.reference}），正在等待管理部门处理，请勿重复提交"
        raise ConflictError("claim_pending", msg)
    since = timezone.now() - datetime.timedelta(days=1)
    filed = list(
        IdClaim.objects.filter(person=person, filed_at__gt=since).order_by("filed_at")[:CLAIMS_PER_ID_NUMBER_PER_DAY]
    )
    if len(filed) >= CLAIMS_PER_ID_NUMBER_PER_DAY:
        wait = int((filed[0].filed_at + datetime.timedelta(days=1) - timezone.now()).total_seconds())
        raise RateLimitedError(
            "too_many_claims", "该证件号码今日提交的申诉已达上限，请明天再试或联系管理部门", retry_after=wait
        )


def refuse_unclaimable(id_type: str, id_number: str, mobile: str) -> None:
    """Before a code is sent from the claim page: a number that needs no claim, or a mobile that
    cannot be the claimant's, is said at once (the generic `bind` code would call the account's
    own mobile "another ID number's")."""
    checks = FieldChecks()
    facts = checks.run(check_id_number, id_type or "111", id_number)
    number = checks.run(normalise_mobile, mobile)
    checks.raise_if_any()
    assert facts is not None and number is not None
    _claimed_account(facts.number, number)


def file_claim(form: ClaimForm, *, id_card_photo: bytes | None, holding_photo: bytes | None, ip: str | None) -> IdClaim:
    """证件号被占用时提交申诉: every field checked at once, the mobile proved by a `bind` code (it
    becomes the account's mobile if the claim is approved, so it must be free: not the account's
    own, not another person's), the photos fixed and stripped as every upload. The code is used up
    only when the claim is stored. Not repeatable: a second claim from the same mobile on the same
    account while one is pending is a conflict naming the first."""
    profile = served_profile(form.province)
    if profile is None:
        msg = "请选择开通的省份门户"
        raise DomainError("unknown_province", msg, fields={"province": [msg]})
    checks = FieldChecks()
    name = checks.run(check_name, form.name)
    facts = checks.run(check_id_number, form.id_type or "111", form.id_number)
    mobile = checks.run(normalise_mobile, form.mobile)
    if not form.sms_code.strip():
        checks.add("sms_code", "请填写短信验证码")
    statement = form.statement.strip()
    if len(statement) > MAX_STATEMENT:
        checks.add("statement", f"情况说明不能超过{MAX_STATEMENT}字")
    for field, data in (("id_card_photo", id_card_photo), ("holding_photo", holding_photo)):
        if not data:
            checks.add(field, f"请上传{ClaimPhoto(field.removesuffix('_photo')).label}")
    checks.raise_if_any()
    assert name is not None and facts is not None and mobile is not None
    person = _claimed_account(facts.number, mobile)
    key = mobile_hash(mobile)
    _refuse_repeats(person, key)
    verify_code(mobile, purpose="bind", code=form.sms_code, consume=False)
    photos = FieldChecks()
    id_card = _photo(photos, "id_card_photo", id_card_photo or b"")
    holding = _photo(photos, "holding_photo", holding_photo or b"")
    photos.raise_if_any()
    assert id_card is not None and holding is not None
    with transaction.atomic():
        consume_code(mobile, purpose="bind", code=form.sms_code)
        claim = IdClaim(
            reference=_new_reference(),
            person=person,
            province=profile.code,
            name=name,
            id_type=facts.id_type,
            id_number_masked=person.id_number_masked,
            mobile_encrypted=encrypt(mobile),
            mobile_hash=key,
            mobile_masked=mask_mobile(mobile),
            statement=statement,
            ip=ip,
        )
        claim.id_card_photo.save(f"id-card-{uuid.uuid4().hex[:12]}.jpg", ContentFile(id_card), save=False)
        claim.holding_photo.save(f"holding-{uuid.uuid4().hex[:12]}.jpg", ContentFile(holding), save=False)
        try:
            with transaction.atomic():
                claim.save()
        except IntegrityError as exc:  # the same claim filed twice at once
            raise ConflictError("claim_pending", "您已提交过申诉，正在等待管理部门处理，请勿重复提交") from exc
        log_event("anonymous", "id_claim.filed", target=f"person:{person.pk}", ip=ip, claim=claim.reference)
        queue_sms(
            mobile,
            f"{profile.review.sms_signature}您的证件号占用申诉已提交，受理编号{claim.reference}。"
            "管理部门处理后将短信通知您，也可在门户“申诉进度查询”中用受理编号和本手机号查询。",
        )
    return claim


def find_claim(reference: str, mobile: str) -> IdClaim:
    """申诉进度查询: the claim with this reference filed from this mobile, or 404 (one answer for
    both, so neither can be found alone)."""
    checks = FieldChecks()
    if not reference.strip():
        checks.add("reference", "请填写受理编号")
    number = checks.run(normalise_mobile, mobile)
    checks.raise_if_any()
    assert number is not None
    claim = (
        IdClaim.objects.select_related("person__department")
        .filter(reference=reference.strip().upper(), mobile_hash=mobile_hash(number))
        .first()
    )
    if claim is None:
        raise NotFoundError("claim_not_found", NOT_FOUND, fields={"reference": [NOT_FOUND]})
    return claim


def set_claimant_password(reference: str, *, mobile: str, sms_code: str, new_password: str, ip: str | None) -> Person:
    """After approval the claimant sets the account's password (设置密码), proving the mobile that
    is now bound to it with a `reset` code. Once only: afterwards the usual password reset applies.
    The reviewer's check of the ID card photos stands in for a province's identity verification on
    reset (HN 2.1) this one time."""
    claim = find_claim(reference, mobile)
    number = normalise_mobile(mobile)
    if claim.status != ClaimStatus.APPROVED:
        raise ConflictError("claim_not_approved", "申诉尚未通过，暂不能设置密码")
    person = claim.person
    if claim.password_set_at is not None or person.mobile_hash != claim.mobile_hash or person.password:
        raise ConflictError("password_already_set", "该账户已设置过密码，请直接登录；忘记密码请使用“忘记密码”重设")
    check_password_policy(new_password, all_profiles()[person.province].password, field="new_password")
    verify_code(number, purpose="reset", code=sms_code, consume=False)
    with transaction.atomic():
        consume_code(number, purpose="reset", code=sms_code)
        now = timezone.now()
        done = Person.objects.filter(pk=person.pk, password="", mobile_hash=claim.mobile_hash)
        if not done.update(password=make_password(new_password), activated_at=now):
            raise ConflictError("password_already_set", "该账户已设置过密码，请直接登录")
        IdClaim.objects.filter(pk=claim.pk).update(password_set_at=now)
        clear_failures(f"person:{person.pk}")
        log_event(f"person:{person.pk}", "password.set_after_claim", ip=ip, claim=claim.reference)
    person.refresh_from_db()
    return person
