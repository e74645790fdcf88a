"""The test suite's settings: the project's own, in development mode, chosen explicitly as `make run`
does (a server started without ACCREG_ENV is a production one, docs/decisions/0020). Set in the
environment so that the servers and commands tests start in subprocesses get it too."""

import os

os.environ["ACCREG_ENV"] = "development"

from config.settings import *  # noqa: F403
