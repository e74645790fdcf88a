"""The client's address behind nginx (decision 0018): the proxy's header is believed only from a
trusted peer, so a phone cannot pick the address its rate limits and audit records count."""

from django.test import RequestFactory, override_settings

from config.proxy import TrustedProxyMiddleware


def address_seen(**meta: str) -> str:
    seen: dict[str, str] = {}

    def view(request):  # type: ignore[no-untyped-def]
        seen["ip"] = request.META["REMOTE_ADDR"]

    TrustedProxyMiddleware(view)(RequestFactory().get("/", **meta))  # type: ignore[arg-type]
    return seen["ip"]


@override_settings(TRUSTED_PROXY_HEADER="X-Real-IP", TRUSTED_PROXIES=[""])
def test_behind_nginx_on_the_unix_socket_the_phones_address_is_used():
    assert address_seen(REMOTE_ADDR="", HTTP_X_REAL_IP="203.0.113.7") == "203.0.113.7"


@override_settings(TRUSTED_PROXY_HEADER="X-Real-IP", TRUSTED_PROXIES=[""])
def test_a_client_sending_the_header_itself_keeps_its_own_address():
    assert address_seen(REMOTE_ADDR="198.51.100.9", HTTP_X_REAL_IP="203.0.113.7") == "198.51.100.9"


@override_settings(TRUSTED_PROXY_HEADER="", TRUSTED_PROXIES=[""])
def test_without_a_proxy_header_configured_nothing_changes():
    assert address_seen(REMOTE_ADDR="", HTTP_X_REAL_IP="203.0.113.7") == ""
