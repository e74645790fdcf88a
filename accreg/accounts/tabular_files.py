"""Reading a table file (CSV in UTF-8 or GB18030, or XLSX) as a header and streamed rows.

Used by imports; nothing here knows what the columns mean.
"""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from accreg.errors import DomainError

Cell = object  # what a CSV or XLSX cell holds: str, int, float, datetime, or None
Rows = Generator[tuple[int, Sequence[Cell]], None, None]


def unreadable(message: str) -> DomainError:
    return DomainError("unreadable_file", message, fields={"file": [message]})


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), else GB18030 as Chinese Excel saves "CSV". The whole file is
    scanned in chunks first, so a bad byte near the end cannot stop an import half done."""
    with path.open("rb") as raw:
        candidates = ("utf-8-sig",) if raw.read(3) == codecs.BOM_UTF8 else ("utf-8", "gb18030")
        for encoding in candidates:
            raw.seek(0)
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                while chunk := raw.read(1 << 20):
                    if b"\x00" in chunk:
                        raise unreadable("文件不是文本格式的 CSV，请上传 CSV 或 XLSX 文件")
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return encoding
    raise unreadable("无法识别文件编码，请将文件另存为 UTF-8 或 GB18030 编码的 CSV")


def _csv_rows(path: Path) -> Rows:
    encoding = _csv_encoding(path)
    with path.open(encoding=encoding, newline="") as text:
        number = 0
        try:
            for number, cells in enumerate(csv.reader(text), start=1):
                yield number, cells
        except csv.Error as exc:
            raise unreadable(f"第{number + 1}行无法按 CSV 读取：{exc}") from exc


def _xlsx_rows(path: Path) -> Rows:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise unreadable("文件不是有效的 XLSX 工作簿，请用 Excel 另存为 .xlsx 或 CSV") from exc
    try:
        sheet = workbook.worksheets[0]
        # Some exporters write a wrong sheet size; read-only mode would then cut the rows short.
        sheet.reset_dimensions()
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        workbook.close()


@contextmanager
def open_table(path: Path) -> Iterator[tuple[list[str], Rows]]:
    """The header (lower-case column names) and an iterator over the data rows with their numbers."""
    if not path.is_file():
        raise unreadable(f"找不到文件：{path}")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise unreadable("不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV")
    if suffix not in (".csv", ".xlsx"):
        raise unreadable(f"只能导入 CSV 或 XLSX 文件，{path.name} 不是")
    rows = _xlsx_rows(path) if suffix == ".xlsx" else _csv_rows(path)
    try:
        first = next(rows, None)
        if first is None:
            raise unreadable("文件是空的：第1行应为表头（name、id_number 等列名）")
        yield [cell_text(cell).lstrip("\ufeff").lower() for cell in first[1]], rows
    finally:
        rows.close()


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number cell: 13800138000.0 is the mobile 13800138000
    return str(value).strip()
