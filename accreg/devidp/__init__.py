"""A development identity provider speaking real OpenID Connect, standing in for a province's
government identity platform (HN 统一身份认证) on one machine. Never mounted in production."""
