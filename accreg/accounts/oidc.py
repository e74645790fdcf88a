"""Sign-in through a government identity provider (统一身份认证, HN 2.2) with OpenID Connect.

Authlib does the protocol (discovery, state and nonce, PKCE, code exchange, ID token signature
and claims). The provider vouches for the person's ID number, which links to the existing account.
"""

from __future__ import annotations

from dataclasses import dataclass

from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.utils import timezone

from accreg.audit.services import log_event
from accreg.devidp.keys import CLIENT_ID, client_secret
from accreg.errors import DomainError, NotFoundError
from accreg.provinces.schema import Province

from .identity import check_id_number
from .models import Person
from .people import person_by_id_number


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


def sign_in_with_claims(profile: Province, claims: dict[str, object], *, ip: str | None) -> Person:
    """The account of the person the provider vouched for, found by ID number. The provider has
    verified them (real name, face), so an archived person without a password is let in too."""
    provider = provider_for(profile)
    assert provider is not None
    raw = str(claims.get(provider.id_number_claim) or "")
    try:
        number = check_id_number("111", raw).number
    except DomainError as exc:
        raise DomainError("oidc_bad_identity", "统一身份认证未返回有效的身份证号码，请改用其他方式登录") from exc
    person = person_by_id_number(number)
    if person is None:
        raise NotFoundError("no_account_for_identity", "尚未找到您的会计人员账户，请先注册后再使用统一身份认证登录")
    Person.objects.filter(pk=person.pk).update(last_sign_in_at=timezone.now())
    log_event(f"person:{person.pk}", "sign_in.succeeded", ip=ip, method="oidc", provider=profile.code)
    return person
