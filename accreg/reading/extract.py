"""The facts on an ID card or a certificate, found in the lines of text OCR read off it (decision
0028; the facts' shape is written down in `checks.py`). Plain functions of strings: what OCR
misreads is corrected here only where the result proves itself (an ID number's check digit)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from stdnum.cn import ric

# Characters OCR takes for a digit on an ID card; used only where the result passes the check digit.
DIGIT_LOOKALIKES = str.maketrans("ODQUoIlLi|!JTZzSsBGbgqA", "00000111111172255866994")
NUMBER_CHARS = "0-9A-Za-z|!"
FIELD_LABELS = ("性别", "民族", "出生", "住址", "公民身份号码", "签发机关", "有效期限")
NAME_LABEL = re.compile(r"^.{0,2}?[姓娃妊]名[:：]?(.*)$")
NOT_NAME = re.compile(r"[^\u3400-\u9fff·•]")
DATE = r"(\d{4})[.,·。:：\-/年]?(\d{1,2})[.,·。:：\-/月]?(\d{1,2})日?"
VALIDITY = re.compile(DATE + r"[-—–一~～至_.·,，。:：]+(长期|" + DATE + ")")


def clean_lines(lines: list[str]) -> list[str]:
    """OCR's lines without spaces, full-width characters made ordinary (NFKC), empty ones dropped."""
    out = []
    for line in lines:
        text = "".join(unicodedata.normalize("NFKC", str(line)).split())
        if text:
            out.append(text)
    return out


def _is_label(line: str) -> bool:
    return line.startswith(FIELD_LABELS)


def read_name(lines: list[str]) -> str:
    """The text after 姓名 on its line, or the next line when 姓名 stands alone."""
    for index, line in enumerate(lines):
        match = NAME_LABEL.match(line)
        if not match:
            continue
        name = NOT_NAME.sub("", match.group(1)).replace("•", "·")
        if name:
            return name
        for following in lines[index + 1 : index + 3]:
            if _is_label(following):
                break
            name = NOT_NAME.sub("", following).replace("•", "·")
            if name:
                return name
    return ""


def valid_number(number: str) -> bool:
    """An 18-character ID number whose check digit and birth date hold (python-stdnum). The place
    of birth is not asked: stdnum's list of county codes lacks many real ones (500103, 210102)."""
    if len(number) != 18 or not number[:17].isdigit() or number[17] != ric.calc_check_digit(number):
        return False
    try:
        ric.get_birth_date(number)
    except ValueError:
        return False
    return True


def _windows(run: str) -> list[str]:
    return [run[i : i + 18] for i in range(len(run) - 17)]


def _corrected(candidate: str) -> str | None:
    """The candidate made a valid number by reading look-alike characters as digits (the last
    may be X), or None when no such reading passes the check digit and the birth date."""
    if valid_number(candidate):
        return candidate
    body = candidate[:17].translate(DIGIT_LOOKALIKES)
    last = candidate[17]
    lasts = ["X"] if last in "Xx×*乂" else [last.translate(DIGIT_LOOKALIKES), "X"]
    for end in lasts:
        fixed = body + end
        if fixed.isascii() and valid_number(fixed):
            return fixed
    return None


def read_id_number(lines: list[str]) -> str:
    """The 18-character 居民身份证 number: the first run that is valid as printed or after reading
    look-alike characters as digits; failing that, the most digit-like 18-character run as read
    (it then fails the check against the record, which is what it should do)."""
    label_at = next((i for i, line in enumerate(lines) if "号码" in line or "身份" in line), -1)
    ordered = lines[label_at:] + lines[:label_at] if label_at >= 0 else lines
    runs = [run for line in ordered for run in re.findall(f"[{NUMBER_CHARS}]{{17,}}", line)]
    # A number split over two boxes is found in the lines joined too.
    runs += re.findall(f"[{NUMBER_CHARS}]{{17,}}", "".join(ordered))
    fallback = ""
    for run in runs:
        for window in _windows(run) or [run]:
            if len(window) == 18 and (fixed := _corrected(window)):
                return fixed
        digits = max((w for w in _windows(run)), key=lambda w: sum(c.isdigit() for c in w), default=run)
        if not fallback and len(digits) >= 17 and sum(c.isdigit() for c in digits) >= 15:
            fallback = digits.upper()
    return fallback


def read_id_front(lines: list[str]) -> dict[str, Any]:
    text = clean_lines(lines)
    return {"name": read_name(text), "id_number": read_id_number(text), "lines": text}


def _iso(year: str, month: str, day: str) -> str:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return ""


def read_id_back(lines: list[str]) -> dict[str, Any]:
    """有效期限 "2015.03.01-2035.03.01" (or "...-长期") as ISO dates, "长期" kept as it is."""
    text = clean_lines(lines)
    label_at = next((i for i, line in enumerate(text) if "有效" in line or "期限" in line), 0)
    for joined in ("".join(text[label_at:]), "".join(text)):
        for match in VALIDITY.finditer(joined):
            valid_from = _iso(*match.group(1, 2, 3))
            until = "长期" if match.group(4) == "长期" else _iso(*match.group(5, 6, 7))
            if valid_from and until:
                return {"valid_from": valid_from, "valid_until": until, "lines": text}
    return {"valid_from": "", "valid_until": "", "lines": text}


def read_certificate(lines: list[str]) -> dict[str, Any]:
    """Every run of six or more letters and digits (certificate numbers have no fixed form); a
    run mostly of digits is given also with look-alike letters read as digits."""
    text = clean_lines(lines)
    numbers: list[str] = []
    for line in text:
        for run in re.findall(r"[0-9A-Za-z]{6,}", line):
            for number in (run, run.translate(DIGIT_LOOKALIKES)):
                if number not in numbers and (number == run or sum(c.isdigit() for c in run) * 2 > len(run)):
                    numbers.append(number)
    return {"numbers": numbers, "lines": text}


def complete(kind: str, facts: dict[str, Any]) -> bool:
    """Whether a card's reading found all it looks for (a valid number and a name; a validity)."""
    if kind == "id_front":
        return bool(facts["name"]) and valid_number(facts["id_number"])
    if kind == "id_back":
        return bool(facts["valid_until"])
    return True


def better(kind: str, first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """The facts of two readings of one card put together, each field from the reading that found it."""
    if kind == "id_front":
        number = first["id_number"] if valid_number(first["id_number"]) else ""
        number = number or (second["id_number"] if valid_number(second["id_number"]) else "")
        return {
            "name": first["name"] or second["name"],
            "id_number": number or first["id_number"] or second["id_number"],
            "lines": first["lines"] if complete(kind, first) else second["lines"],
        }
    return first if complete(kind, first) or not complete(kind, second) else second


READERS = {
    "id_front": read_id_front,
    "id_back": read_id_back,
    "full_time_education": read_certificate,
    "full_time_degree": read_certificate,
    "part_time_education": read_certificate,
    "part_time_degree": read_certificate,
    "qualification": read_certificate,
}


def facts_for(kind: str, lines: list[str]) -> dict[str, Any]:
    """The facts of a material of `kind` from the text read off it."""
    return READERS[kind](lines)
