"""The answer the attachments page polls while materials are being read (issue 17 item 3)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods

from accreg.accounts.models import Person
from accreg.collection.selectors import record_of
from accreg.provinces.schema import Province

from .readings import material_readings, shown_reading
from .record_views import person_page


@require_http_methods(["GET"])
@person_page
def material_readings_json(request: HttpRequest, profile: Province, person: Person) -> JsonResponse:
    """Each stored material's reading by its slot (`{"state", "html"}`), the HTML being what the
    slot shows, rendered by the same template as the page."""
    answer = {}
    for (kind, item), reading in material_readings(record_of(person)).items():
        if reading is not None:
            shown = {"anchor": f"{kind}-{item}", "reading": shown_reading(reading)}
            html = render_to_string("portal/record/_reading.html", {"m": shown}, request)
            answer[f"{kind}-{item}"] = {"state": reading["state"], "html": html}
    response = JsonResponse({"readings": answer})
    response["Cache-Control"] = "private, no-store"
    return response
