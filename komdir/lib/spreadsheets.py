"""CSV for spreadsheets: cells that Excel will not run as formulas."""

from __future__ import annotations


def safe_cell(value) -> str:
    """Spreadsheet formula injection: a cell starting with =, +, -, @, a tab or a carriage return
    is run by Excel; a leading apostrophe makes it text."""
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
