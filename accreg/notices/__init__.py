"""Notices and guides (通知公告, 操作指南) on the public portals, written by administrators."""
