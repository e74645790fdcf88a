"""Issue 13, items 9 and 10: what is personal is never cached; every answer carries a strict
Content-Security-Policy and a Permissions-Policy; HTTPS answers carry HSTS. The templates hold no
code the policy would refuse (inline scripts, event handlers, style attributes, javascript: links)."""

import re
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse

from config.security_headers import SecurityHeadersMiddleware
from tests.conftest import Api, CommittingClient
from tests.review.conftest import make_submission
from tests.review.conftest import reviewer as reviewer  # a fixture: an API client of a reviewer

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
STRICT = re.compile(r"default-src 'self'; script-src 'self'; style-src 'self';")


@pytest.fixture
def console(make_staff):  # type: ignore[no-untyped-def]
    browser = CommittingClient()
    browser.force_login(make_staff("console-reviewer", "410105"))
    return browser


def test_personal_answers_are_private_and_never_stored(register, reviewer, console):
    person = Api(register(province="henan")["token"])
    submission = make_submission("410105")
    staff = reviewer("410105")

    answers = {
        "/me/record": person.get("/api/v1/me/record"),
        "ID reveal (API)": staff.post(f"/api/v1/review/submissions/{submission.pk}/id-number"),
        "review detail (API)": staff.get(f"/api/v1/review/submissions/{submission.pk}"),
        "review detail page": console.get(f"/review/submissions/{submission.pk}/"),
        "ID reveal page": console.post(f"/review/submissions/{submission.pk}/", {"action": "reveal"}),
        "statistics and export form": console.get("/review/statistics/"),
        "sign-in page": CommittingClient().get("/henan/login/"),
    }

    assert {name: (r.status_code, r["Cache-Control"]) for name, r in answers.items()} == {
        name: (200, "private, no-store") for name in answers
    }


def test_static_files_keep_their_public_caching(client):
    response = client.get("/static/portal/site.css")

    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "no-store" not in response["Cache-Control"]


def test_a_view_that_chose_its_own_caching_keeps_it():
    def public_page(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("通知公告")
        response["Cache-Control"] = "public, max-age=300"
        return response

    response = SecurityHeadersMiddleware(public_page)(HttpRequest())

    assert response["Cache-Control"] == "public, max-age=300"


def test_pages_carry_the_strict_policy_and_no_powerful_features(client):
    for path in ("/henan/login/", "/review/login/", "/admin/login/", "/api/docs", "/no-such-page/"):
        response = client.get(path)

        assert STRICT.match(response["Content-Security-Policy"]), path
        assert (
            "'unsafe-inline'" not in response["Content-Security-Policy"]
            and "frame-ancestors 'none'" in (response["Content-Security-Policy"])
        )
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_hsts_is_sent_over_https_only(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000

    over_https = client.get("/api/v1/health", secure=True)
    over_http = client.get("/api/v1/health")

    assert over_https["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in over_http


TEMPLATES = [
    path
    for path in [*ROOT.glob("accreg/**/templates/**/*.html"), *ROOT.glob("templates/**/*.html")]
    # The development identity provider is its own process (accreg.devidp.settings), without this policy.
    if "devidp" not in path.parts
]
REFUSED = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>\s*\S", re.I),
    "event handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "style element": re.compile(r"<style[\s>]", re.I),
    "javascript: link": re.compile(r"javascript:", re.I),
}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_holds_what_the_policy_refuses(template):
    text = template.read_text()

    assert [what for what, pattern in REFUSED.items() if pattern.search(text)] == []
