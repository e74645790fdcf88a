"""What the machine read off a stored material (issue 17, decision 0028).

One row per stored file, keyed by the file's name: the current material and every submission's
snapshot point at the same name, so the person's page and the reviewer's detail find the same
reading. Only facts are stored (what the picture shows: a face box, the background's colour, the
text, the ID number printed on the card). Checks are worked out from the facts when they are
shown, against the record as it is then (`checks.checks_for`), so a corrected name or a retyped
certificate number is checked again without reading the picture again.
"""

from django.db import models

from accreg.accounts.fields import EncryptedJSONField
from accreg.accounts.models import Person


class ReadingState(models.TextChoices):
    PENDING = "pending", "识别中"
    DONE = "done", "已识别"
    FAILED = "failed", "识别失败"


class Reading(models.Model):
    file = models.CharField("文件", max_length=255, unique=True)  # Material.file's name
    person = models.ForeignKey(Person, verbose_name="会计人员", on_delete=models.CASCADE, related_name="readings")
    kind = models.CharField("材料种类", max_length=32)
    item = models.PositiveSmallIntegerField("条目序号", default=0)
    state = models.CharField("状态", max_length=8, choices=ReadingState.choices, default=ReadingState.PENDING)
    # Encrypted at rest: an ID card's facts hold its number and the holder's address.
    facts = EncryptedJSONField("识别结果", default=dict, blank=True)
    # Perceptual hash of the stored picture (hex), for the duplicate guard.
    phash = models.CharField("图像指纹", max_length=16, blank=True, default="")
    error = models.CharField("失败原因", max_length=200, blank=True, default="")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    read_at = models.DateTimeField("识别时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "材料识别"
        # A plain index for the duplicate guard's equality lookups (db_index would add a second,
        # pattern-matching index on PostgreSQL that nothing uses).
        indexes = [models.Index(fields=["phash"], name="reading_phash")]

    def __str__(self) -> str:
        return f"{self.kind}#{self.item} {self.state}"
