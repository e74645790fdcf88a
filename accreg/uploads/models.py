"""Stored materials (材料): one file per kind (and per record item for list sections)."""

from django.db import models

from accreg.collection.models import Record


def material_path(material: "Material", filename: str) -> str:
    return f"materials/{material.record.person_id}/{filename}"


class Material(models.Model):
    """材料: an image that passed its province's rule, re-encoded without metadata."""

    record = models.ForeignKey(Record, verbose_name="信息档案", on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField("材料种类", max_length=32)
    item = models.PositiveSmallIntegerField("条目序号", default=0)  # for per-record kinds (qualification …)
    file = models.FileField("文件", upload_to=material_path)
    format = models.CharField("格式", max_length=8)
    width = models.PositiveIntegerField("宽（像素）")
    height = models.PositiveIntegerField("高（像素）")
    size = models.PositiveIntegerField("字节数")
    original = models.JSONField("原始文件", default=dict)
    fixes = models.JSONField("系统处理", default=list)
    confirmed = models.BooleanField("本人已确认", default=True)  # false while an automatic fix awaits a look
    uploaded_at = models.DateTimeField("上传时间", auto_now=True)
    # The key the page sent with the upload: sending the same file again (a retry after a dropped
    # connection) returns this material instead of storing a second copy.
    upload_key = models.CharField("上传标识", max_length=64, blank=True, default="")

    class Meta:
        verbose_name = verbose_name_plural = "材料"
        constraints = [models.UniqueConstraint(fields=["record", "kind", "item"], name="one_file_per_material")]

    def __str__(self) -> str:
        return f"{self.kind}#{self.item}"
