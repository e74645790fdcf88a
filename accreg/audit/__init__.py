"""The append-only audit log (审计日志): who did what, when, from where."""
