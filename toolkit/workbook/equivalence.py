"""What spreadsheet programs rewrite when they save a workbook, and nothing more.

`zorginkoop check` compares a workbook with its template exactly, except for the forms in which Excel
and LibreOffice write the same thing differently on save. Each normalisation here is one such rewrite,
seen in a template filled by `zorginkoop fill` and saved by LibreOffice (tests/test_check_appearance.py
round-trips every template) or written by Excel; anything else stays a difference.

Formulas (`formula_key`), compared token by token:
- spaces between tokens are dropped, except one between two references (Excel's intersection operator);
- `TRUE()` and `FALSE()` are the constants TRUE and FALSE (LibreOffice writes the functions);
- a sheet name is the same quoted or not (`'Invoer'!B4` = `Invoer!B4`), a number the same in any
  spelling (`1E-9` = `0.000000001`), function names and references in any ASCII case (both programs
  store the parsed formula and write it back in their own case). Only ASCII letters are folded: a
  dotless `ı` is not an `i`;
- `_xlfn.` before a function is accepted where the template calls that same function (Excel writes it
  for functions newer than 2007, LibreOffice may drop or add it); before anything else it stays, and a
  reader sees #NAAM?.

Number formats (`number_format_key`): an empty fourth section is no section (`d-m-yyyy;;;` is
`d-m-yyyy;;`); a literal is the same quoted, escaped or bare (`"€" #,##0.00`, `"€ "#,##0.00` and
`€ #,##0.00` show the same; LibreOffice merges and quotes literals, `d-m-yyyy` becomes `d\\-m\\-yyyy`),
a colour name in any case (`[Red]` = `[RED]`), `General` in any case; in a date format `/` (the
locale's date separator) is `-`, as LibreOffice in nl-NL writes `d-m-yyyy` as `d/m/yyyy`. Sections,
digit placeholders, conditions, locale codes and fills stay as they are. A formula cell the template
leaves in General may carry one of the template's own formats, or a date format: LibreOffice gives such
a cell the format of the cells it computes from (`appearance.same_style`).

Charts: the category axis shows the first series' categories; LibreOffice writes them into every series
(`structure.chart_description`).

Conditional formats: a formula that is only TRUE or FALSE is 1 or 0 (`constant_condition`, LibreOffice
writes the number), and `stopIfTrue` is not compared (LibreOffice does not keep it).

Colours (`resolve_colour`): a theme or palette colour is the RGB it shows (LibreOffice writes the theme's
black as `FF000000`); the alpha byte is ignored (Excel does not draw it for cells).
"""

from __future__ import annotations

import colorsys
import re
from typing import Any

# --- formulas ---------------------------------------------------------------------------------------------

_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_XLFN = re.compile(r"^(?:_xlfn\.|_xlws\.)+", re.IGNORECASE)


def ascii_upper(text: str) -> str:
    """Upper case for ASCII letters only (`ı`, `ß`, `ﬁ` stay as they are)."""
    return text.translate(_ASCII_UPPER)


Token = tuple[str, str]

# One formula token: a string, an error value, a quoted sheet name (with the `!` after it), a number, a
# name or reference (with the `(` of a function call), white space, or an operator or separator. The
# tokens need not be Excel's own; they must only keep every character that matters, so that two
# formulas with the same tokens (after the rewrites above) are the same formula.
_TOKEN = re.compile(r"""
    (?P<text>"(?:[^"]|"")*"?)
  | (?P<error>\#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA|SPILL!|CALC!|FIELD!|BLOCKED!|UNKNOWN!))
  | (?P<sheet>'(?:[^']|'')*'!)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[Ee][+-]?\d+)?(?![A-Za-z_\\\d.$!\[]))
  | (?P<name>[^\s"'#()\[\]{},;:+\-*/^&=<>%!@]+(?:!\$?[^\s"'#()\[\]{},;:+\-*/^&=<>%!@]+)?(?:\[[^\]]*\])*\(?)
  | (?P<space>\s+)
  | (?P<operator><>|<=|>=|[-+*/^&=<>%,;(){}@:!\[\]'#])
""", re.VERBOSE)


def _unquoted(sheet: str) -> str:
    return sheet[1:-2].replace("''", "'") + "!"


def formula_key(formula: object) -> tuple[Token, ...]:
    """A formula as a sequence of tokens, in the form every program writes it (see the module docstring).
    `_xlfn.` before a function is kept as a separate marker; `same_formula` decides whether it counts."""
    text = str(getattr(formula, "text", formula) or "").lstrip("=")
    tokens: list[Token] = []
    pending_sheet = ""
    matches = list(_TOKEN.finditer(text))
    for index, match in enumerate(matches):
        kind, value = match.lastgroup or "", match.group()
        if kind == "sheet":
            pending_sheet = _unquoted(value)
            continue
        if pending_sheet:
            tokens.append(("R", ascii_upper(pending_sheet + value)))
            pending_sheet = ""
            continue
        if kind == "space":
            following = matches[index + 1] if index + 1 < len(matches) else None
            if tokens and tokens[-1][0] in {"R", ")"} and following is not None and (
                    following.lastgroup in {"name", "sheet"} or following.group() == "("):
                tokens.append(("O", " "))  # the intersection operator
            continue
        if kind == "name" and value.endswith("("):
            name = ascii_upper(value[:-1])
            prefixed = _XLFN.match(name)
            if prefixed:
                tokens.append(("X", prefixed.group(0)))
                name = name[prefixed.end():]
            tokens.append(("F", name))
        elif kind == "name":
            upper = ascii_upper(value)
            tokens.append(("L", upper) if upper in {"TRUE", "FALSE"} else ("R", upper))
        elif kind == "number":
            tokens.append(("N", repr(float(value))))
        elif kind == "error":
            tokens.append(("E", value.upper()))
        elif kind == "text":
            tokens.append(("T", value))
        elif value == ")" and tokens and tokens[-1] in {("F", "TRUE"), ("F", "FALSE")}:
            tokens[-1] = ("L", tokens[-1][1])  # TRUE() is TRUE
        else:
            tokens.append((")" if value == ")" else "O", value))
    if pending_sheet:
        tokens.append(("R", ascii_upper(pending_sheet)))
    return tuple(tokens)


def same_formula(expected: object, found: object) -> bool:
    """Whether `found` is the template's formula `expected` as a spreadsheet program may have saved it.
    An `_xlfn.` prefix counts only before the function the template calls at that place."""
    if str(getattr(expected, "text", expected)) == str(getattr(found, "text", found)):
        return True
    want, got = formula_key(expected), formula_key(found)
    if want == got:
        return True
    return _without_prefix(want) == _without_prefix(got) and _prefixes_on_functions(got)


def _without_prefix(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    return tuple(t for t in tokens if t[0] != "X")


def _prefixes_on_functions(tokens: tuple[Token, ...]) -> bool:
    return all(tokens[i + 1][0] == "F" for i, t in enumerate(tokens) if t[0] == "X" and i + 1 < len(tokens))


def constant_condition(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """A conditional format's formula that is only TRUE or FALSE, as LibreOffice saves it: 1 or 0."""
    if tokens in ((("L", "TRUE"),), (("L", "FALSE"),)):
        return (("N", "1.0" if tokens[0][1] == "TRUE" else "0.0"),)
    return tokens


# --- number formats -----------------------------------------------------------------------------------------

# Characters Excel shows as they are without quotes; LibreOffice quotes or escapes them.
_BARE_LITERALS = set(" $-+()!^&'~{}<>=:€£¥")


def number_format_key(code: object) -> tuple[tuple[str, str], ...]:
    """A number format code as tokens, literals merged (see the module docstring)."""
    text = str(code or "General")
    if text.lower() == "general":
        return (("code", "general"),)
    tokens: list[tuple[str, str]] = []

    def literal(value: str) -> None:
        if tokens and tokens[-1][0] == "lit":
            tokens[-1] = ("lit", tokens[-1][1] + value)
        else:
            tokens.append(("lit", value))

    i = 0
    while i < len(text):
        char = text[i]
        if char == '"':
            end = text.find('"', i + 1)
            end = len(text) if end < 0 else end
            literal(text[i + 1:end])
            i = end + 1
        elif char == "\\" and i + 1 < len(text):
            literal(text[i + 1])
            i += 2
        elif char in "_*" and i + 1 < len(text):
            tokens.append((char, text[i + 1]))
            i += 2
        elif char == "[":
            end = text.find("]", i)
            end = len(text) if end < 0 else end
            inside = text[i + 1:end]
            tokens.append(("[", inside if inside.startswith("$") else ascii_upper(inside)))
            i = end + 1
        elif char in "Ee" and i + 1 < len(text) and text[i + 1] in "+-":
            tokens.append(("code", "E" + text[i + 1]))
            i += 2
        elif char in _BARE_LITERALS or ord(char) > 127:
            literal(char)
            i += 1
        elif text[i:i + 7].lower() == "general":
            tokens.append(("code", "general"))
            i += 7
        else:
            tokens.append(("code", char))
            i += 1
    # An empty fourth (text) section: LibreOffice writes `d-m-yyyy;;` as `d"-"m"-"yyyy;;;`. A number cell
    # shows the same either way.
    if [t for t in tokens if t == ("code", ";")] == [("code", ";")] * 3 and tokens[-1] == ("code", ";"):
        tokens.pop()
    return _date_separators(tuple(tokens))


_DATE_CODES = set("dmyDMY")


def _date_separators(tokens: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """In a date-only format, `/` is the date separator of the reader's locale: a `-` in nl-NL. LibreOffice
    in nl-NL saves `d-m-yyyy` as `d/m/yyyy`, and Dutch Excel shows both as 1-10-2027; so `/` is read as
    `-` there, in every section (`d/m/yyyy;;;`). (In a number format `/` is a fraction, `# ?/?`, and stays.)"""
    codes = {value for kind, value in tokens if kind == "code"}
    if "/" not in codes or not codes - {"/", ";"} <= _DATE_CODES or not all(
            kind in {"code", "lit"} or (kind == "[" and value.startswith("$")) for kind, value in tokens):
        return tokens
    merged: list[tuple[str, str]] = []
    for kind, value in tokens:
        kind, value = ("lit", "-") if (kind, value) == ("code", "/") else (kind, value)
        if kind == "lit" and merged and merged[-1][0] == "lit":
            merged[-1] = ("lit", merged[-1][1] + value)
        else:
            merged.append((kind, value))
    return tuple(merged)


def is_date_format(code: object) -> bool:
    """A format that shows a date only (days, months, years and literals between them)."""
    tokens = number_format_key(code)
    codes = [value for kind, value in tokens if kind == "code"]
    return bool(codes) and all(c in _DATE_CODES for c in codes) and all(
        kind in {"code", "lit"} or (kind == "[" and value.startswith("$")) for kind, value in tokens)


# --- colours ----------------------------------------------------------------------------------------------

# The colours a theme colour index names (Excel swaps the first two pairs: 0 is lt1, 1 is dk1).
_THEME_ORDER = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6",
                "hlink", "folHlink")


def theme_colours(theme_xml: bytes | None) -> list[str]:
    """The twelve colours of a theme part, by theme index (RGB hex); the Office default without one."""
    from xml.etree import ElementTree

    defaults = ["FFFFFF", "000000", "EEECE1", "1F497D", "4F81BD", "C0504D", "9BBB59", "8064A2", "4BACC6", "F79646",
                "0000FF", "800080"]
    if not theme_xml:
        return defaults
    try:
        root = ElementTree.fromstring(theme_xml)
    except ElementTree.ParseError:
        return defaults
    namespace = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    scheme = root.find(f".//{namespace}clrScheme")
    if scheme is None:
        return defaults
    found = {}
    for element in scheme:
        name = element.tag.replace(namespace, "")
        colour = next(iter(element), None)
        if colour is not None:
            value = colour.get("lastClr") if colour.tag.endswith("sysClr") else colour.get("val")
            if value:
                found[name] = value.upper()[-6:]
    return [found.get(name, default) for name, default in zip(_THEME_ORDER, defaults, strict=True)]


def _tinted(rgb: str, tint: float) -> str:
    """Excel's tint: the lightness moved towards white (tint > 0) or black (tint < 0)."""
    if not tint:
        return rgb
    red, green, blue = (int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4))
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    lightness = lightness * (1 + tint) if tint < 0 else lightness * (1 - tint) + tint
    red, green, blue = colorsys.hls_to_rgb(hue, min(max(lightness, 0.0), 1.0), saturation)
    return "".join(f"{round(c * 255):02X}" for c in (red, green, blue))


def resolve_colour(colour: Any, theme: list[str], palette: list[str], automatic: str) -> str | None:
    """An openpyxl Color as the RGB a reader sees (`automatic` for auto and the system colours); None for
    no colour."""
    if colour is None:
        return None
    kind = getattr(colour, "type", None)
    tint = float(getattr(colour, "tint", 0.0) or 0.0)
    if kind == "rgb":
        value = str(colour.rgb or "")
        rgb = value.upper()[-6:] if re.fullmatch(r"[0-9A-Fa-f]{6,8}", value) else automatic
    elif kind == "theme":
        index = int(colour.theme or 0)
        rgb = theme[index] if 0 <= index < len(theme) else automatic
    elif kind == "indexed":
        index = int(colour.indexed or 0)
        rgb = palette[index] if 0 <= index < len(palette) else automatic
    else:
        rgb = automatic
    return _tinted(rgb, tint)
