"""The department's desk in the review console (管理部门服务台, issue 15): find a person, see the
account and its history, unlock, send a reset code, request and approve corrections. Every view
calls accreg.desk with the signed-in staff member, so the pages see what the API sees."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import urlencode

from accreg.accounts.models import Staff
from accreg.audit.services import client_ip
from accreg.codelists.registry import code_list
from accreg.errors import DomainError, NotFoundError
from accreg.review.views import staff_page

from .corrections import CorrectionRequest, decide_correction, request_correction
from .models import CorrectionField, CorrectionState
from .selectors import correction_out, find_people, pending_corrections, person_detail
from .services import send_reset_code, unlock_person

NOTES = {
    "unlocked": "已解除登录锁定，本人现在可以重新登录。",
    "reset": "已向本人手机发送重设密码短信（含验证码，5分钟内有效）：请本人在登录页点击“忘记密码”完成重设。",
    "applied": "更正已生效，已短信通知本人。",
    "pending": "更正申请已提交，须由本部门或上级部门的另一位工作人员审批后生效。",
    "approved": "已批准，更正已生效，已短信通知本人。",
    "refused": "已不批准该更正申请。",
    "withdrawn": "已撤回该更正申请。",
}
OUTSIDE = "没有这位会计人员，或不在您的管辖范围内"


@staff_page
def people(request: HttpRequest, staff: Staff) -> HttpResponse:
    """查找人员: by a whole ID number or mobile, or the start of a name; a page at a time."""
    q = request.GET.get("q", "").strip()
    rows: list[dict[str, Any]] = []
    following, error = "", ""
    if q:
        try:
            rows, following = find_people(staff, q, after=request.GET.get("after", ""))
        except DomainError as exc:
            error = exc.message
    next_page = f"?{urlencode({'q': q, 'after': following})}" if following else ""
    context = {"staff": staff, "q": q, "rows": rows, "error": error, "next_page": next_page}
    return render(request, "desk/people.html", context, status=400 if error else 200)


def _decide(request: HttpRequest, staff: Staff, action: str) -> str:
    raw = request.POST.get("correction", "")
    correction_id = int(raw) if raw.isdigit() else 0
    decide_correction(
        staff, correction_id, decision=action, reason=request.POST.get("reason", ""), ip=client_ip(request)
    )
    return {"approve": "approved", "refuse": "refused", "withdraw": "withdrawn"}[action]


def _act(request: HttpRequest, staff: Staff, person_id: int, action: str) -> str:
    """Carry out one posted action on the person page; the key of the note to show after it."""
    post, ip = request.POST, client_ip(request)
    if action == "unlock":
        unlock_person(staff, person_id, reason=post.get("reason", ""), ip=ip)
        return "unlocked"
    if action == "reset":
        send_reset_code(staff, person_id, reason=post.get("reason", ""), ip=ip)
        return "reset"
    if action == "correct":
        field = post.get("field", "")
        # The page's type list serves an ID type correction too: no code to type.
        typed = post.get("value", "").strip()
        form = CorrectionRequest(
            field=field,
            value=post.get("id_type", "") if field == CorrectionField.ID_TYPE and not typed else typed,
            reason=post.get("reason", ""),
            id_type=post.get("id_type", "") if field == CorrectionField.ID_NUMBER else "",
        )
        correction = request_correction(staff, person_id, form, ip=ip)
        return "applied" if correction.state == CorrectionState.APPLIED else "pending"
    if action in ("approve", "refuse", "withdraw"):
        return _decide(request, staff, action)
    raise DomainError("invalid", "请选择要办理的事项")


@staff_page
def person(request: HttpRequest, staff: Staff, person_id: int) -> HttpResponse:
    """One person: the account, its history, and the desk's actions (each with a reason)."""
    context: dict[str, Any] = {"staff": staff, "posted": {}, "field_errors": {}}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            done = _act(request, staff, person_id, action)
        except NotFoundError:
            raise Http404(OUTSIDE) from None
        except DomainError as exc:
            context.update(error=exc.message, field_errors=exc.fields, posted=request.POST, failed=action)
            status = exc.status
        else:
            return HttpResponseRedirect(f"/review/people/{person_id}/?done={done}")
    try:
        context["p"] = person_detail(staff, person_id)
    except NotFoundError:
        raise Http404(OUTSIDE) from None
    context["note"] = NOTES.get(request.GET.get("done", ""), "")
    context["id_types"] = code_list("id_types").items
    context["fields"] = CorrectionField.choices
    return render(request, "desk/person.html", context, status=status)


@staff_page
def corrections(request: HttpRequest, staff: Staff) -> HttpResponse:
    """待审批的更正: every pending correction in the jurisdiction, approved or refused here."""
    context: dict[str, Any] = {"staff": staff, "posted": {}}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action not in ("approve", "refuse", "withdraw"):
                raise DomainError("invalid", "请选择批准、不批准或撤回")
            done = _decide(request, staff, action)
        except NotFoundError:
            raise Http404("没有这条更正申请，或不在您的管辖范围内") from None
        except DomainError as exc:
            context.update(error=exc.message, posted=request.POST)
            status = exc.status
        else:
            return HttpResponseRedirect(f"/review/corrections/?done={done}")
    context["items"] = [correction_out(c, staff) for c in pending_corrections(staff)[:200]]
    context["note"] = NOTES.get(request.GET.get("done", ""), "")
    return render(request, "desk/corrections.html", context, status=status)
