"""The claims a government identity platform vouches for: the real name and the ID number."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class IdentityClaims(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "id_number": "profile"}

    def get_additional_claims(self, request: Any) -> dict[str, str]:
        return {"name": request.user.first_name, "id_number": request.user.username}
