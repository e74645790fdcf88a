"""The audit log in words an administrator reads (issue 14, item 19): who (a staff member's name
and username, a person's name), what (the action in Chinese) and on what, instead of
"staff:3 review.returned submission:7". The stored rows stay as they are."""

from __future__ import annotations

from collections.abc import Iterable

ACTIONS = {
    "account.activated": "原有人员激活账户",
    "account.registered": "注册账户",
    "change.opened": "申请信息变更",
    "change.submitted": "提交信息变更",
    "change.withdrawn": "撤回信息变更",
    "desk.correction_applied": "更正身份信息（已生效）",
    "desk.correction_refused": "不批准身份信息更正",
    "desk.correction_requested": "申请更正身份信息",
    "desk.correction_withdrawn": "撤回身份信息更正",
    "desk.reset_sent": "发送重设密码短信",
    "desk.unlocked": "解除登录锁定",
    "id_claim.approved": "证件号占用申诉通过（账户交给申请人）",
    "id_claim.filed": "提交证件号占用申诉",
    "id_claim.refused": "证件号占用申诉不予通过",
    "identity.name_mismatch": "统一身份认证核验姓名与登记姓名不一致",
    "identity_verification.started": "发起实名认证",
    "mobile.changed": "更换手机号",
    "notice.saved": "保存通知公告",
    "password.change_failed": "修改密码时原密码错误",
    "password.changed": "修改密码",
    "password.reset": "重设密码",
    "password.set_after_claim": "申诉通过后设置密码",
    "people.import_failed": "导入原有人员失败",
    "people.import_finished": "导入原有人员完成",
    "people.import_queued": "提交原有人员导入",
    "people.import_rejected_downloaded": "下载导入未通过的行",
    "people.imported": "导入原有人员",
    "person.renamed": "更正姓名",
    "record.submitted": "提交信息采集",
    "review.approved": "审核通过",
    "review.exported": "导出数据",
    "review.id_revealed": "查看完整证件号码",
    "review.returned": "退回修改",
    "review.roster_downloaded": "下载正式名册（含完整证件号码）",
    "review.roster_exported": "导出正式名册（含完整证件号码）",
    "review.roster_written": "正式名册生成完成",
    "sign_in.failed": "会计人员登录失败",
    "sign_in.locked": "登录失败次数过多，账户锁定",
    "sign_in.oidc_failed": "统一身份认证登录失败",
    "sign_in.oidc_unreachable": "统一身份认证平台无法访问",
    "sign_in.succeeded": "会计人员登录",
    "signed_out": "退出登录",
    "staff.created": "创建工作人员账号",
    "staff.disabled": "停用工作人员账号",
    "staff.enabled": "启用工作人员账号",
    "staff.otp_reset": "重置动态口令",
    "staff_sign_in.failed": "工作人员登录失败",
    "staff_sign_in.succeeded": "工作人员登录",
    "transfer.requested": "申请调转",
}
KINDS = {"staff": "工作人员", "person": "会计人员", "submission": "报送", "request": "申请", "import": "导入批次"}


def action_label(action: str) -> str:
    return ACTIONS.get(action, action)


def party_names(keys: Iterable[str]) -> dict[str, str]:
    """ "staff:3" → "王审核（jinshui_reviewer）", "person:12" → "会计人员 张伟": one query per kind."""
    from accreg.accounts.models import Person, Staff

    ids: dict[str, set[int]] = {"staff": set(), "person": set()}
    for key in keys:
        kind, _, pk = key.partition(":")
        if kind in ids and pk.isdigit():
            ids[kind].add(int(pk))
    staff = Staff.objects.filter(pk__in=ids["staff"]).values_list("pk", "username", "last_name", "first_name")
    names = {f"staff:{pk}": f"{(last + first).strip() or user}（{user}）" for pk, user, last, first in staff}
    people = Person.objects.filter(pk__in=ids["person"]).values_list("pk", "name")
    names |= {f"person:{pk}": f"会计人员 {name}" for pk, name in people}
    return names


def party_label(key: str, names: dict[str, str]) -> str:
    if key in names:
        return names[key]
    kind, _, pk = key.partition(":")
    if kind in KINDS:
        return f"{KINDS[kind]} {pk}"
    return {"system": "系统", "anonymous": "未登录"}.get(key, key)
