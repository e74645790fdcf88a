"""Submission.latest: an item submitted again (a resubmission after a return) leaves the queue's
tabs and counts; the earlier submissions stay readable. Existing rows are marked, and the kept
counts recounted over the latest submissions only."""

from django.db import migrations, models


def mark(apps, schema_editor):  # type: ignore[no-untyped-def]
    Submission = apps.get_model("collection", "Submission")
    SubmissionCount = apps.get_model("collection", "SubmissionCount")
    later = Submission.objects.filter(
        record=models.OuterRef("record"),
        request=models.OuterRef("request"),
        submitted_at__gt=models.OuterRef("submitted_at"),
    )
    Submission.objects.filter(request__isnull=False).filter(models.Exists(later)).update(latest=False)
    later_collection = Submission.objects.filter(
        record=models.OuterRef("record"), request__isnull=True, submitted_at__gt=models.OuterRef("submitted_at")
    )
    Submission.objects.filter(request__isnull=True).filter(models.Exists(later_collection)).update(latest=False)
    SubmissionCount.objects.all().delete()
    rows = (
        Submission.objects.filter(latest=True)
        .order_by()
        .values("department_id", "status")
        .annotate(total=models.Count("pk"))
    )
    SubmissionCount.objects.bulk_create(
        SubmissionCount(department_id=r["department_id"], status=r["status"], n=r["total"]) for r in rows
    )


class Migration(migrations.Migration):
    dependencies = [("collection", "0007_change_requests")]
    operations = [
        migrations.AddField(
            model_name="submission",
            name="latest",
            field=models.BooleanField(default=True, verbose_name="最新一次报送"),
        ),
        migrations.RunPython(mark, migrations.RunPython.noop),
    ]
