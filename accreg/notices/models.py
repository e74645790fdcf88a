"""通知公告 and 操作指南: one province's (or every portal's, when national), shown from `published_at`."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class NoticeKind(models.TextChoices):
    NOTICE = "notice", "通知公告"
    GUIDE = "guide", "操作指南"


class NoticeQuerySet(models.QuerySet["Notice"]):
    def published(self, province: str) -> "NoticeQuerySet":
        """What a portal shows now: its province's and the national ones, newest first."""
        return self.filter(
            models.Q(province=province) | models.Q(province=""), published_at__lte=timezone.now()
        ).order_by("-published_at", "-pk")


class Notice(models.Model):
    province = models.CharField("省份", max_length=20, blank=True, help_text="留空为全国各门户共同显示")
    kind = models.CharField("类别", max_length=8, choices=NoticeKind.choices, default=NoticeKind.NOTICE)
    title = models.CharField("标题", max_length=120)
    body = models.TextField("正文")
    published_at = models.DateTimeField("发布时间", default=timezone.now, help_text="到此时间才在门户显示")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "通知公告"
        indexes = [models.Index(fields=["province", "published_at"])]

    def __str__(self) -> str:
        return self.title
