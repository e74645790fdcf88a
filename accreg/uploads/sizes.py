"""File sizes as people read them: "5MB", "100KB", "2.4MB", never "5119KB" (issue 14, item 19)."""

from __future__ import annotations

KB = 1024
MB = 1024 * 1024


def limit_label(max_bytes: int) -> str:
    """A rule's limit as the manuals state it. Files keep a limit one byte under a round size
    ("小于5MB" is stored as 5242879), so the limit is rounded up to the whole KB first."""
    kb = -(-max_bytes // KB)  # ceiling
    if kb >= 1024 and kb % 1024 == 0:
        return f"{kb // 1024}MB"
    if kb >= 1024:
        return f"{kb / 1024:.1f}MB"
    if max_bytes % KB in (0, KB - 1):
        return f"{kb}KB"
    return f"{max_bytes / KB:.1f}KB"


def size_label(size: int) -> str:
    """A stored or uploaded file's size."""
    if size >= MB:
        return f"{size / MB:.1f}MB"
    if size >= 10 * KB:
        return f"{round(size / KB)}KB"
    return f"{size / KB:.1f}KB"
