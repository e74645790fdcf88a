"""Statistics of a department subtree, and the Excel export made in the background."""

import io

import pytest
from openpyxl import load_workbook

from accreg.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_counties(submitted):  # type: ignore[no-untyped-def]
    return [submitted("410105"), submitted("410102"), submitted("410202")]


@pytest.mark.parametrize(("level", "total"), [("410000", 3), ("410100", 2), ("410105", 1)])
def test_statistics_count_the_subtree(level, total, three_counties, reviewer):
    stats = reviewer(level).get("/api/v1/review/statistics").json()

    assert stats["total"] == total and stats["department"]["code"] == level
    assert stats["by_status"] == {"pending": total}
    assert stats["by_employment"] == {"accounting_post": total}
    assert sum(stats["by_age_band"].values()) == total and stats["by_age_band"]["30-39岁"] == total  # born 1990


def test_statistics_of_a_department_outside_are_not_found(three_counties, reviewer):
    assert reviewer("410100").get("/api/v1/review/statistics?department=410202").status_code == 404


def test_an_export_runs_in_the_background_and_downloads_masked(three_counties, reviewer):
    client = reviewer("410100")

    started = client.post("/api/v1/review/exports", {"status": "pending"})
    progress = client.get(f"/api/v1/review/exports/{started.json()['id']}").json()
    download = client.get(progress["url"])
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))

    assert started.status_code == 202 and started.json()["state"] == "queued"
    assert progress["state"] == "done" and progress["rows"] == 2
    assert rows[0][:2] == ("姓名", "证件号码") and len(rows) == 3
    assert all("*" in row[1] for row in rows[1:])  # ID numbers masked
    assert {row[6] for row in rows[1:]} == {"金水区财政局", "中原区财政局"}
    assert AuditEvent.objects.filter(action="review.exported").count() == 1


def test_another_reviewers_export_is_not_found(three_counties, reviewer):
    mine = reviewer("410100", "zhang").post("/api/v1/review/exports", {}).json()

    assert reviewer("410100", "li").get(f"/api/v1/review/exports/{mine['id']}").status_code == 404
