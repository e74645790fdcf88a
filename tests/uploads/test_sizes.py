"""Sizes as the manuals and people write them (issue 14, item 19)."""

import pytest

from accreg.uploads.sizes import limit_label, size_label


@pytest.mark.parametrize(
    ("max_bytes", "shown"),
    [(5242879, "5MB"), (102399, "100KB"), (153600, "150KB"), (204800, "200KB"), (20480, "20KB"), (81920, "80KB")],
)
def test_every_limit_in_the_province_files_reads_as_the_manual_says(max_bytes, shown):
    assert limit_label(max_bytes) == shown


@pytest.mark.parametrize(("size", "shown"), [(2493546, "2.4MB"), (162026, "158KB"), (4915, "4.8KB")])
def test_stored_sizes_read_in_kb_or_mb(size, shown):
    assert size_label(size) == shown
