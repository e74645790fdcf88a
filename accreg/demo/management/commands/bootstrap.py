"""python manage.py bootstrap: everything `make run` needs before serving, idempotently.

Migrates, loads divisions, departments and the directory, checks the province profiles and code
lists, creates the demo accounts (not in production), and prints where to go and how to sign in.
"""

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from accreg.accounts.models import StaffRole
from accreg.codelists.registry import NAMES, code_list
from accreg.demo.accounts import DEMO_PASSWORD, DEMO_STAFF, ensure_demo_staff
from accreg.demo.notices import ensure_demo_notices
from accreg.demo.people import DEMO_LEGACY, DEMO_PEOPLE, DEMO_PERSON_PASSWORD, _id_number, ensure_demo_people
from accreg.demo.submissions import DEMO_APPROVED, DEMO_SUBMITTED, ensure_demo_submissions
from accreg.provinces.loader import served_profiles
from accreg.regions.models import Department


class Command(BaseCommand):
    help = "Prepare the database and reference data; print the URL and the demo sign-ins."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("load_regions", stdout=self.stdout)
        profiles = served_profiles()
        for name in NAMES:
            code_list(name, province=next(iter(profiles)))
        self.stdout.write(f"省份门户：{'、'.join(p.name for p in profiles.values())}；代码表 {len(NAMES)} 个")
        port = os.environ.get("PORT", "8000")
        self.stdout.write("")
        self.stdout.write(f"会计人员信息采集与管理平台：http://127.0.0.1:{port}/")
        self.stdout.write(f"  接口文档：http://127.0.0.1:{port}/api/docs")
        if settings.PRODUCTION:
            return
        ensure_demo_staff()
        self.stdout.write(f"  审核工作台：http://127.0.0.1:{port}/review/（演示账号密码均为 {DEMO_PASSWORD}）")
        self.stdout.write(f"  管理后台：http://127.0.0.1:{port}/admin/（管理员账号）")
        departments = {d.code: d for d in Department.objects.filter(code__in=[s.department for s in DEMO_STAFF])}
        names = {code: d.name for code, d in departments.items()}
        for demo in DEMO_STAFF:
            role = StaffRole(demo.role).label
            self.stdout.write(f"    {demo.username:<20} {role}  {names.get(demo.department, demo.department)}")
        if settings.STAFF_REQUIRE_OTP:
            self.stdout.write("  工作人员登录需动态口令（TOTP）：首次登录时按页面提示用验证器绑定。")
        else:
            self.stdout.write(
                "  开发环境中工作人员登录无需动态口令（STAFF_REQUIRE_OTP=false）；生产环境必须绑定验证器，"
                "管理员可在后台“重置动态口令”。"
            )
        ensure_demo_people()
        ensure_demo_submissions()
        ensure_demo_notices()
        self.stdout.write(f"  会计人员（各省门户登录，密码均为 {DEMO_PERSON_PASSWORD}）：")
        for person in (p for p in DEMO_PEOPLE if p.province in profiles):
            where = profiles[person.province].name
            self.stdout.write(f"    {where:<4} {person.name}  证件号码 {person.id_number}  手机 {person.mobile}")
        if "henan" in profiles:
            self.stdout.write("  河南已提交待审核（谁能在审核工作台看到）：")
            for name, _first17, _mobile, county, _unit in DEMO_SUBMITTED:
                county_bureau = Department.objects.get(code=county)
                who = "、".join(
                    s.username for s in DEMO_STAFF if county_bureau.path.startswith(departments[s.department].path)
                )
                self.stdout.write(f"    {name}  {county_bureau.name}  可见：{who}")
            name, first17, *_rest = DEMO_APPROVED
            self.stdout.write(f"  河南已审核通过（可试信息变更、调转）：{name}  证件号码 {_id_number(first17)}")
        if "liaoning" in profiles:
            legacy = "、".join(f"{name} {number}" for name, number in DEMO_LEGACY)
            self.stdout.write(f"  辽宁原有用户（待激活）：{legacy}")
        self.stdout.write(f"  短信发件箱（验证码在此查看）：{settings.SMS_OUTBOX}")
