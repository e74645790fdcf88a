"""Liveness and database reachability for load balancers and monitors."""

from django.db import DatabaseError, connection
from django.http import HttpRequest
from ninja import Router, Schema, Status

router = Router(tags=["健康检查"])


class HealthOut(Schema):
    status: str


@router.get("/health", response={200: HealthOut, 503: HealthOut}, auth=None)
def health(request: HttpRequest) -> Status:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return Status(503, {"status": "database_unreachable"})
    return Status(200, {"status": "ok"})
