"""Workbooks the toolkit makes: the template workbooks (native formulas) and the UDF workbook.

Templates live in `templates/` of the source tree; an installed wheel carries the same files as
`toolkit/_templates/` (pyproject's force-include), and the example inputs as `toolkit/_examples/`.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, not_a_file

_PACKAGE = Path(__file__).resolve().parents[1]
_SOURCE_ROOT = _PACKAGE.parent


def _first_existing(*candidates: Path) -> Path:
    return next((c for c in candidates if c.is_dir()), candidates[0])


# The packaged copy first: next to an installed package, `site-packages/templates` could be anyone's.
def templates_dir() -> Path:
    return _first_existing(_PACKAGE / "_templates", _SOURCE_ROOT / "templates")


def examples_dir() -> Path:
    return _first_existing(_PACKAGE / "_examples", _SOURCE_ROOT / "examples" / "invoer")


def template_path(template: str | Path) -> Path:
    """A template by file path, or by name ('cz_ratio') from the bundled templates."""
    path = Path(template)
    if path.suffix.lower() == ".xlsx" or path.exists():
        if not path.is_file():
            raise InputError(f"sjabloon {str(path)!r}: {not_a_file(path)}", field="template", value=str(path))
        return path
    bundled = templates_dir() / f"{path.name}.xlsx"
    if not bundled.is_file():
        known = ", ".join(sorted(p.stem for p in templates_dir().glob("*.xlsx")))
        raise InputError(f"sjabloon {str(template)!r} is onbekend (bekend: {known})", field="template",
                         value=str(template))
    return bundled
