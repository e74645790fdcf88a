"""The attachments step on an emulated cheap phone (issue 12): runs the browser test that drives
Chromium at 360 px, 400 kbit/s each way, 400 ms latency and a 4× slower CPU, and prints what it
measured (bytes of the page before and with its thumbnails, time to DOMContentLoaded, bytes sent
for a 4000×3000 camera photo and for a document).

    .venv/bin/python bench/phone_attachments.py

Budget: at most 150 KB before images and 300 KB with the thumbnails; the page reacts within 4 s.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "test-output" / "figures" / "slow-phone-attachments.json"


def main() -> None:
    test = "tests/e2e/test_slow_phone_uploads.py"
    subprocess.run([sys.executable, "-m", "pytest", test, "-q", "-p", "no:cacheprovider"], cwd=ROOT, check=True)
    figures = json.loads(FIGURES.read_text())
    for key, value in figures.items():
        print(f"  {key:<36} {value}")


if __name__ == "__main__":
    main()
