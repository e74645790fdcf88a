"""Demo notices and guides for each served portal, so a newcomer sees a portal as it will look
(issue 14, item 20). Written from the province's own rules file, each marked 演示 in its title;
they invent no address, phone number or date a department has not published."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accreg.notices.models import Notice, NoticeKind
from accreg.provinces.fields import EXTRA_STEPS
from accreg.provinces.loader import served_profiles
from accreg.provinces.schema import Province

DEMO_MARK = "【演示】"


def _notices(profile: Province) -> list[tuple[str, str, str, int]]:
    """(kind, title, body, days ago) for one province."""
    titles = {**{key: section.title for key, section in profile.sections.items()}, **EXTRA_STEPS}
    steps = "、".join(titles[key] for key in profile.steps if key not in ("notice", "commitment"))
    conditions = "".join(f"\n{i}. {c}" for i, c in enumerate(profile.notice.conditions, start=1))
    return [
        (
            NoticeKind.NOTICE,
            f"{DEMO_MARK}关于开展{profile.name}会计人员信息采集工作的通知",
            f"{profile.texts.home_intro}\n\n请登录{profile.texts.portal_title}，按页面提示依次填写{steps}，"
            f"上传材料并提交审核。会计管理部门自收到之日起{profile.review.service_days}个工作日内办结。"
            + (f"\n\n采集条件：{conditions}" if conditions else "")
            + "\n\n（本条为演示数据，正式通知以财政部门发布为准。）",
            3,
        ),
        (
            NoticeKind.GUIDE,
            f"{DEMO_MARK}手机上传材料操作指南",
            "1. 在“附件上传”一步，逐项点“选择图片”，可直接拍照或从相册选择。\n"
            "2. 手机会先把照片缩小到够用的大小再上传，每项下方显示进度；上传完成后显示缩略图，点缩略图可看大图。\n"
            "3. 照片尺寸、比例或大小不合要求时，系统会自动处理，请看清后点“确认使用这张图片”。\n"
            "4. 网络中断时点“重试上传”，不必重新选择图片。\n\n（本条为演示数据。）",
            1,
        ),
    ]


def ensure_demo_notices() -> int:
    """Each served portal's demo notices, once; returns how many were added."""
    added = 0
    now = timezone.now()
    for profile in served_profiles().values():
        for kind, title, body, days_ago in _notices(profile):
            _, created = Notice.objects.get_or_create(
                province=profile.code,
                title=title,
                defaults={"kind": kind, "body": body, "published_at": now - datetime.timedelta(days=days_ago)},
            )
            added += created
    return added
