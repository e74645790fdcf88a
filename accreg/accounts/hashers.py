"""Argon2id with parameters measured on this machine (bench/sign_in.py, docs/decisions/0009)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """OWASP's first Argon2id setting: 19 MiB, 2 passes, 1 lane. Django's default (100 MiB, 8 lanes)
    would cap a two-core server at a handful of sign-ins per second and let a burst of sign-ins
    exhaust memory."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
