"""The province's password policy (CQ 1.2 ③: at least 8 letters or digits, no symbols)."""

from __future__ import annotations

import re

from accreg.errors import DomainError
from accreg.provinces.schema import PasswordPolicy


def check_password_policy(password: str, policy: PasswordPolicy, *, field: str = "password") -> None:
    """Raise DomainError naming `field` with every rule the password breaks, in the policy's words."""
    problems: list[str] = []
    if not password:
        problems.append("请设置密码")
    else:
        if len(password) < policy.min_length:
            problems.append(f"密码至少{policy.min_length}位")
        if len(password) > policy.max_length:
            problems.append(f"密码不能超过{policy.max_length}位")
        if not policy.allow_symbols and not re.fullmatch(r"[A-Za-z0-9]*", password):
            problems.append("密码只能由字母或数字组成，不能输入特殊符号")
        if re.search(r"\s", password):
            problems.append("密码不能包含空格")
        if policy.require_letter and not re.search(r"[A-Za-z]", password):
            problems.append("密码须包含字母")
        if policy.require_digit and not re.search(r"\d", password):
            problems.append("密码须包含数字")
    if problems:
        raise DomainError("weak_password", f"密码不符合要求：{policy.hint}", fields={field: problems})
