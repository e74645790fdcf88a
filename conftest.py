"""Loaded before Django's settings: tests run background tasks at once, and keep their files apart.

One test (tests/notifications/test_sms.py) runs the real database queue and its worker.
"""

import os
import tempfile

os.environ.setdefault("TASKS_BACKEND", "immediate")
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="accreg-test-"))
