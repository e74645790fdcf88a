"""A development identity provider speaking real OpenID Connect (django-oauth-toolkit), standing in
for a province's government identity platform (HN 统一身份认证, 豫事办) on one machine. It is its
own small Django project on its own port (`accreg.devidp.settings`), never part of the main site."""
