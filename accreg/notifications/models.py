"""Delivery records of SMS (短信发送记录): one row per message the gateway accepted, so a message
whose task runs twice (after a worker died or the database went away) goes out once. Neither
the mobile nor the text is kept: only the message's key and when it went out."""

from django.db import models


class SmsDelivery(models.Model):
    key = models.UUIDField("消息编号", unique=True)
    sent_at = models.DateTimeField("发送时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "短信发送记录"

    def __str__(self) -> str:
        return f"短信 {self.key}"
