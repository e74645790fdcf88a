"""`manage.py run_workers` (what `make run` starts): one `run_worker` process per queue (sms,
default, reading), each started again whenever it exits, so SMS and readings never wait behind
exports and a crashed worker comes back.
Production runs one systemd unit per queue instead (docs/operations.md)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

QUICK_EXIT = 10.0  # a worker that exits sooner than this after starting waits longer before the next start
MAX_PAUSE = 30.0
STOP_GRACE = 20.0  # seconds a worker gets to finish its task when asked to stop


class Command(BaseCommand):
    help = "Run one task worker per queue and start each again whenever it exits."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--queues", default="sms,default,reading", help="comma-separated; one worker process each")
        parser.add_argument("--interval", default="1", help="passed to run_worker")

    def handle(self, *, queues: str, interval: str, **options: Any) -> None:
        self.stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        workers: dict[str, subprocess.Popen[bytes] | None] = {queue: None for queue in queues.split(",")}
        started: dict[str, float] = {}
        pause: dict[str, float] = dict.fromkeys(workers, 1.0)
        due: dict[str, float] = dict.fromkeys(workers, 0.0)
        while not self.stopping:
            now = time.monotonic()
            for queue, process in workers.items():
                if process is not None and process.poll() is None:
                    continue
                if process is not None:  # it exited: start it again, later if it keeps exiting at once
                    quick = now - started[queue] < QUICK_EXIT
                    pause[queue] = min(pause[queue] * 2, MAX_PAUSE) if quick else 1.0
                    due[queue] = now + pause[queue]
                    self.stderr.write(f"worker {queue} (pid {process.pid}) exited with {process.returncode}")
                    workers[queue] = None
                if now >= due[queue]:
                    workers[queue] = self._start(queue, interval, options["verbosity"])
                    started[queue] = now
            time.sleep(0.2)
        self._stop_all([p for p in workers.values() if p is not None])

    def _start(self, queue: str, interval: str, verbosity: int) -> subprocess.Popen[bytes]:
        command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "run_worker", "--queue-name", queue]
        process = subprocess.Popen([*command, "--interval", interval, "--verbosity", str(verbosity)])
        self.stdout.write(f"worker {queue} started (pid {process.pid})")
        return process

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def _stop_all(self, processes: list[subprocess.Popen[bytes]]) -> None:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()  # its task stays marked running; the next worker runs it again
                process.wait()
