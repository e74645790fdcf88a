"""Printable documents (PDF) made from a record, with the CJK font embedded."""
