"""The accountant's page session: `request.person`, separate from Django's staff `request.user`.

The session keeps a fingerprint of the password hash, the mobile and the ID number, so a password
reset ends every other signed-in browser, as Django does for staff, and so does a mobile or ID
number the desk corrected (a lost phone's browser is signed out with it).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac
from django.utils.functional import SimpleLazyObject

from .models import Person

SESSION_KEY = "person_id"
FINGERPRINT_KEY = "person_fingerprint"


def _fingerprint(person: Person) -> str:
    held = f"{person.password}|{person.mobile_hash or ''}|{person.id_number_hash}"
    return salted_hmac("accreg.person-session", held).hexdigest()


def start_person_session(request: HttpRequest, person: Person) -> None:
    request.session.cycle_key()  # a new session id at sign-in: no session fixation
    request.session[SESSION_KEY] = person.pk
    request.session[FINGERPRINT_KEY] = _fingerprint(person)
    request.person = person  # type: ignore[attr-defined]


def end_person_session(request: HttpRequest) -> None:
    request.session.flush()
    request.person = None  # type: ignore[attr-defined]


def _person_of(request: HttpRequest) -> Person | None:
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    person = Person.objects.filter(pk=pk).first()
    if person is None or request.session.get(FINGERPRINT_KEY) != _fingerprint(person):
        request.session.flush()
        return None
    return person


class PersonSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.person = SimpleLazyObject(lambda: _person_of(request))  # type: ignore[attr-defined]
        return self.get_response(request)
