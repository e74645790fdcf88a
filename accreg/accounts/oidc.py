"""Sign-in through a government identity provider (统一身份认证, HN 2.1-2.2) with OpenID Connect.

Authlib does the protocol (discovery, state and nonce, PKCE, code exchange, ID token signature
and claims). The provider vouches for the person's name and ID number: the ID number links to
the existing account, or, for someone new, opens one once a mobile is verified (HN 2.1: people
register on the provider, not here). A verified name that differs from the account's is kept on
the person (`Person.verified_name`) and audited, for the person and staff to see.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accreg.audit.services import log_event
from accreg.devidp.keys import CLIENT_ID, client_secret
from accreg.errors import ConflictError, DomainError, FieldChecks, NotFoundError
from accreg.provinces.schema import Province

from .identity import check_id_number, check_name, normalise_mobile
from .models import Person
from .people import person_by_id_number, person_by_mobile, set_identity, set_mobile
from .sensitive import seal, unseal
from .services.registration import MOBILE_TAKEN
from .services.sms_codes import consume_code, verify_code

ID_CARD = "111"  # 居民身份证: what the provider verifies (real name and face against the ID card)


@dataclass(frozen=True)
class OidcProvider:
    metadata_url: str
    client_id: str
    client_secret: str
    id_number_claim: str = "id_number"
    name_claim: str = "name"


def provider_for(profile: Province) -> OidcProvider | None:
    """The identity provider of a province portal, or None when it offers no such sign-in."""
    if "oidc" not in profile.sign_in.methods:
        return None
    configured = settings.OIDC_PROVIDERS.get(profile.code)
    if configured:
        return OidcProvider(**configured)
    if settings.DEV_IDP_ENABLED:
        return OidcProvider(
            f"{settings.DEV_IDP_BASE_URL}/.well-known/openid-configuration",
            CLIENT_ID,
            client_secret(settings.DATA_DIR),
        )
    return None


_clients: dict[str, tuple[OidcProvider, DjangoOAuth2App]] = {}


def oidc_client(profile: Province) -> DjangoOAuth2App:
    """The province's OIDC client; discovery and keys are fetched once per process and provider."""
    provider = provider_for(profile)
    if provider is None:
        raise NotFoundError("oidc_unavailable", f"{profile.name}未开通统一身份认证登录")
    known = _clients.get(profile.code)
    if known is None or known[0] != provider:
        registry = OAuth()
        registry.register(
            name=profile.code,
            server_metadata_url=provider.metadata_url,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            # Authorization code flow with PKCE (S256): Authlib makes and keeps the code verifier.
            client_kwargs={"scope": "openid profile", "timeout": 10, "code_challenge_method": "S256"},
        )
        known = _clients[profile.code] = (provider, registry.create_client(profile.code))
    return known[1]


@dataclass(frozen=True)
class VerifiedIdentity:
    """Who the provider vouched for, on the portal the person came through. Between the callback
    and the account-opening page it waits in the session sealed (`sealed`, `unsealed`)."""

    province: str
    name: str
    id_type: str
    id_number: str

    def sealed(self) -> str:
        return seal(asdict(self))

    @classmethod
    def unsealed(cls, token: object, *, max_age: int) -> VerifiedIdentity | None:
        data = unseal(token, max_age=max_age)
        try:
            return cls(**data) if data else None
        except TypeError:  # sealed by another version of this class
            return None


def verified_identity(profile: Province, claims: dict[str, object]) -> VerifiedIdentity:
    """The name and ID number in the provider's claims. The ID number must be valid; the name is
    kept as the provider wrote it (spaces and the look-alike of · evened out), "" if it sent none."""
    provider = provider_for(profile)
    assert provider is not None
    raw = str(claims.get(provider.id_number_claim) or "")
    try:
        number = check_id_number(ID_CARD, raw).number
    except DomainError as exc:
        raise DomainError("oidc_bad_identity", "统一身份认证未返回有效的身份证号码，请改用其他方式登录") from exc
    name = re.sub(r"\s+", " ", str(claims.get(provider.name_claim) or "")).strip().replace("•", "·")[:50]
    return VerifiedIdentity(province=profile.code, name=name, id_type=ID_CARD, id_number=number)


def sign_in_verified(identity: VerifiedIdentity, *, ip: str | None) -> Person | None:
    """The account of the person the provider vouched for, found by ID number; None when there is
    none yet (the portal then opens one, `open_account`). The provider has verified them (real
    name, face), so an archived person without a password is let in too."""
    person = person_by_id_number(identity.id_number)
    if person is None:
        return None
    with transaction.atomic():
        _signed_in(person, identity, ip=ip)
    return person


def _signed_in(person: Person, identity: VerifiedIdentity, *, ip: str | None) -> None:
    """Record the sign-in and the name the provider verified. The provider is authoritative for
    identity, so a different name does not stop the sign-in; it is audited with both names, and
    stays visible (`Person.name_mismatch`) until staff correct one or the other."""
    now = timezone.now()
    changes: dict[str, object] = {"last_sign_in_at": now}
    if identity.name:
        person.verified_name, person.verified_name_at = identity.name, now
        changes.update(verified_name=identity.name, verified_name_at=now)
    Person.objects.filter(pk=person.pk).update(**changes)
    log_event(f"person:{person.pk}", "sign_in.succeeded", ip=ip, method="oidc", provider=identity.province)
    if person.name_mismatch:
        log_event(
            f"person:{person.pk}",
            "identity.name_mismatch",
            target=f"person:{person.pk}",
            ip=ip,
            provider=identity.province,
            verified_name=identity.name,
            account_name=person.name,
        )


def open_account(identity: VerifiedIdentity, *, mobile: str, sms_code: str, ip: str | None) -> Person:
    """The account of a person the provider vouched for who has none here yet (HN 2.1): their
    verified name and ID number, and the mobile they verify by SMS (purpose register). No password:
    they sign in through the provider, and can set one with 找回密码 (docs/decisions/0024). The same
    checks as registration; an ID number registered in the meantime (another tab) just signs in."""
    checks = FieldChecks()
    number = checks.run(normalise_mobile, mobile)
    if not sms_code.strip():
        checks.add("sms_code", "请填写短信验证码")
    checks.raise_if_any()
    assert number is not None
    try:
        name = check_name(identity.name)
    except DomainError as exc:
        msg = "统一身份认证平台未返回可用于开通账户的姓名，请联系会计管理部门"
        raise DomainError("oidc_bad_identity", msg) from exc
    facts = check_id_number(identity.id_type, identity.id_number)
    verify_code(number, purpose="register", code=sms_code, consume=False)
    with transaction.atomic():
        existing = person_by_id_number(facts.number)
        if existing is not None:
            _signed_in(existing, identity, ip=ip)
            return existing
        if person_by_mobile(number) is not None:
            raise ConflictError("mobile_taken", MOBILE_TAKEN, fields={"mobile": [MOBILE_TAKEN]})
        consume_code(number, purpose="register", code=sms_code)
        now = timezone.now()
        person = Person(province=identity.province, name=name, verified_name=name, verified_name_at=now)
        set_identity(person, facts)
        set_mobile(person, number)
        person.mobile_verified_at = person.activated_at = person.last_sign_in_at = now
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError as exc:  # the same ID number or mobile, registered at this very moment
            if person_by_id_number(facts.number) is not None:
                raise ConflictError("already_open", "您的账户已开通，请重新通过统一身份认证登录") from exc
            raise ConflictError("mobile_taken", MOBILE_TAKEN, fields={"mobile": [MOBILE_TAKEN]}) from exc
        log_event(f"person:{person.pk}", "account.registered", ip=ip, province=identity.province, via="oidc")
        log_event(f"person:{person.pk}", "sign_in.succeeded", ip=ip, method="oidc", provider=identity.province)
    return person
