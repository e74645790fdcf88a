"""Divisions of China (province > city > county) and the finance bureaus that keep accountants' records."""

from django.db import models


class Level(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "地级"
    COUNTY = "county", "县级"


class Region(models.Model):
    """行政区划: one division with its 6-digit GB/T 2260 code, loaded from a data package."""

    code = models.CharField("区划代码", max_length=6, primary_key=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("级别", max_length=8, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = verbose_name_plural = "行政区划"
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "code"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[0-9]{6}$"), name="region_code_six_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Department(models.Model):
    """会计管理部门: a finance bureau serving one division; the tree decides jurisdiction (管辖范围).

    `path` lists the codes from the province bureau down ("410000/410100/410105/"), so a
    department's subtree is every row whose path starts with its own.
    """

    code = models.CharField("部门代码", max_length=6, primary_key=True)
    name = models.CharField("名称", max_length=64)
    region = models.OneToOneField(Region, verbose_name="所辖区划", on_delete=models.PROTECT, related_name="department")
    parent = models.ForeignKey(
        "self",
        verbose_name="上级部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.CharField("级别", max_length=8, choices=Level.choices)
    path = models.CharField("路径", max_length=64, db_index=True)
    directory_name = models.CharField("咨询电话页名称", max_length=64, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("咨询电话", max_length=40, blank=True)
    directory_source = models.CharField("联系方式来源", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "会计管理部门"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"
