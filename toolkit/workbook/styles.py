"""The colours and cell styles of the template workbooks (yellow input, blue headings, green and red
verdicts, grey while waiting for input) and text cells. Apart from `formats.py`, which `fill` reads
without openpyxl."""

from __future__ import annotations

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, PatternFill, Protection
from openpyxl.worksheet.worksheet import Worksheet

from .formats import font

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
GOOD_FILL = PatternFill("solid", fgColor="C6EFCE")
BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
WAITING_FILL = PatternFill("solid", fgColor="EDEDED")
UNLOCKED = Protection(locked=False)
WRAP = Alignment(wrap_text=True, vertical="top")
# The explanation beside a right-aligned value: a space from it ("68,22 %  Productie …", not "68,22 %Productie").
BESIDE_A_VALUE = Alignment(wrap_text=True, vertical="top", horizontal="left", indent=1)


def text_cell(ws: Worksheet, row: int, column: int, value: str) -> Cell:
    """Text that must stay text, whatever it starts with (labels come from data)."""
    cell = ws.cell(row=row, column=column, value=value)
    cell.data_type = "s"
    return cell


def heading(ws: Worksheet, row: int, column: int, text: str) -> None:
    """A column heading: bold on blue, wrapped."""
    header = text_cell(ws, row, column, text)
    header.font, header.fill, header.alignment = font(bold=True), HEADER_FILL, WRAP


__all__ = ["BAD_FILL", "BESIDE_A_VALUE", "GOOD_FILL", "HEADER_FILL", "INPUT_FILL", "UNLOCKED", "WAITING_FILL", "WRAP",
           "heading", "text_cell"]
