"""SMS verification codes (短信验证码), SPEC §2: 6 digits, valid 5 minutes, single use, at most 5
wrong tries per code, 60 s between sends to one mobile, daily limits per mobile and per IP."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accreg.errors import ConflictError, DomainError, RateLimitedError
from accreg.notifications.tasks import queue_sms
from accreg.provinces.loader import served_profile

from ..models import SmsCode, SmsPurpose
from ..people import mobile_hash, person_by_mobile

CODE_LIFETIME = datetime.timedelta(minutes=5)
RESEND_COOLDOWN = datetime.timedelta(seconds=60)
MAX_WRONG_TRIES = 5
PLATFORM_SIGNATURE = "【会计人员信息采集】"
CHINA = ZoneInfo("Asia/Shanghai")


def _code_digest(mobile_key: str, code: str) -> str:
    return hmac.new(settings.LOOKUP_HASH_KEY.encode(), f"sms:{mobile_key}:{code}".encode(), hashlib.sha256).hexdigest()


def _start_of_day(now: datetime.datetime) -> datetime.datetime:
    local = now.astimezone(CHINA)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _signature(province: str | None) -> str:
    profile = served_profile(province) if province else None
    return profile.review.sms_signature if profile else PLATFORM_SIGNATURE


def _check_limits(key: str, ip: str | None, now: datetime.datetime) -> None:
    last = SmsCode.objects.filter(mobile_hash=key).order_by("-created_at").values_list("created_at", flat=True).first()
    if last and now - last < RESEND_COOLDOWN:
        wait = int((last + RESEND_COOLDOWN - now).total_seconds()) + 1
        raise RateLimitedError("sms_cooldown", f"验证码已发送，请{wait}秒后再试", retry_after=wait)
    midnight = _start_of_day(now)
    until_tomorrow = int((midnight + datetime.timedelta(days=1) - now).total_seconds())
    if SmsCode.objects.filter(mobile_hash=key, created_at__gte=midnight).count() >= settings.SMS_DAILY_LIMIT_PER_MOBILE:
        raise RateLimitedError(
            "sms_daily_limit", "该手机号今日获取验证码次数已达上限，请明天再试", retry_after=until_tomorrow
        )
    if ip and SmsCode.objects.filter(ip=ip, created_at__gte=midnight).count() >= settings.SMS_DAILY_LIMIT_PER_IP:
        raise RateLimitedError(
            "sms_daily_limit", "当前网络今日获取验证码次数已达上限，请明天再试", retry_after=until_tomorrow
        )


@transaction.atomic
def request_code(mobile: str, *, purpose: str, ip: str | None, province: str | None = None, sent_by: str = "") -> None:
    """Send a code for `purpose` to a normalised mobile. For sign-in and reset, a mobile that is not
    registered gets a message saying so instead of a code: its owner learns why, nobody else learns
    anything (the answer is the same 202). Registering or binding a mobile that is taken is refused.
    `sent_by` names the department whose desk sent a reset code for a registered person (the
    message then says who sent it and what to do with it); the same limits apply."""
    if purpose not in SmsPurpose.values:
        msg = "用途只能是 register、login、reset 或 bind"
        raise DomainError("invalid", msg, fields={"purpose": [msg]})
    now = timezone.now()
    key = mobile_hash(mobile)
    owner = person_by_mobile(mobile)
    # An archived mobile may be bound by its own legacy person, who activates with it (YN 3, LN 2).
    own_archived_mobile = purpose == SmsPurpose.BIND and owner is not None and owner.needs_activation
    if purpose in (SmsPurpose.REGISTER, SmsPurpose.BIND) and owner is not None and not own_archived_mobile:
        msg = "该手机号已绑定其他证件号码。如这是您的号码，请直接登录或找回密码；否则请更换手机号"
        raise ConflictError("mobile_taken", msg, fields={"mobile": [msg]})
    _check_limits(key, ip, now)
    code = f"{secrets.randbelow(10**6):06d}"
    SmsCode.objects.create(
        mobile_hash=key,
        purpose=purpose,
        code_hash=_code_digest(key, code),
        ip=ip,
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    signature = _signature(owner.province if owner else province)
    action = SmsPurpose(purpose).label
    if sent_by and purpose == SmsPurpose.RESET and owner is not None:
        text = (
            f"{signature}{sent_by}应您的申请发起密码重设，验证码为{code}，5分钟内有效。请在登录页点击“忘记密码”，"
            "填写本手机号、验证码并设置新密码。如非本人申请，请忽略本短信。"
        )
    elif purpose in (SmsPurpose.LOGIN, SmsPurpose.RESET) and owner is None:
        text = f"{signature}您正在{action}，但该手机号尚未在会计人员信息采集平台注册。如非本人操作，请忽略本短信。"
    else:
        text = f"{signature}您的{action}验证码为{code}，5分钟内有效，请勿告诉他人。如非本人操作，请忽略本短信。"
    queue_sms(mobile, text)


def verify_code(mobile: str, *, purpose: str, code: str, consume: bool = True) -> None:
    """Check a code; on success with `consume`, it can never be used again. Wrong tries count
    against the code, and after five it is dead. Raises DomainError naming `sms_code`."""
    key = mobile_hash(mobile)
    now = timezone.now()
    if not code or not code.strip():
        raise DomainError("sms_code_required", "请填写短信验证码", fields={"sms_code": ["请填写短信验证码"]})
    latest = (
        SmsCode.objects.filter(mobile_hash=key, purpose=purpose, used_at__isnull=True).order_by("-created_at").first()
    )
    if latest is None or latest.expires_at <= now:
        msg = "验证码已失效，请重新获取"
        raise DomainError("sms_code_expired", msg, fields={"sms_code": [msg]})
    if latest.failed_attempts >= MAX_WRONG_TRIES:
        msg = "验证码错误次数过多，请重新获取"
        raise DomainError("sms_code_locked", msg, fields={"sms_code": [msg]})
    if not hmac.compare_digest(latest.code_hash, _code_digest(key, code.strip())):
        SmsCode.objects.filter(pk=latest.pk).update(failed_attempts=F("failed_attempts") + 1)
        left = MAX_WRONG_TRIES - latest.failed_attempts - 1
        msg = f"验证码不正确，还可尝试{left}次" if left > 0 else "验证码错误次数过多，请重新获取"
        raise DomainError("sms_code_wrong", msg, fields={"sms_code": [msg]})
    if consume and not SmsCode.objects.filter(pk=latest.pk, used_at__isnull=True).update(used_at=now):
        msg = "验证码已使用，请重新获取"  # a second request raced this one with the same code
        raise DomainError("sms_code_used", msg, fields={"sms_code": [msg]})


def consume_code(mobile: str, *, purpose: str, code: str) -> None:
    verify_code(mobile, purpose=purpose, code=code, consume=True)
