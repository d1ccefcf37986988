"""Column headers as people write them: one way to compare a header with a name, and the one list of
names a claims file's columns may have.

Every reader of a user's table matches its header through `header_key`: claim files (`toolkit.claims`,
for `ratio` and `plafond`) and the INPUTS of `fill`. Case, diacritics (`Cliëntnummer` = `Clientnummer`),
spaces, `-`, `_`, `.` and characters nobody sees do not count, so `Client ID`, `Cliënt-ID` and `client_id`
are one name. Only these differences are forgiven: a header that says something else is not guessed at.

`CLAIM_FIELDS` lists, per field of a claim line, the names a declaration system's export uses for it
(INTERFACES.md "Claims files" names the ones that must keep working). Two columns of one file that both
name the same field are refused, naming both: which of them holds the claim's value is not guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .errors import InputError, show_value

# White space, _ . - and the other dashes, and the characters that show nothing: a zero-width space, joiner
# or non-joiner, a word joiner, a byte order mark (a second BOM before the header, or one pasted in from
# another file) and a soft hyphen. A header `zorg\u200baanbieder` looks like `zorgaanbieder` and is read as
# that; not matched, the column was passed over and every provider pooled as one.
_IGNORED = re.compile(r"[\s_.\-\u2010-\u2015\u200b-\u200d\u2060\ufeff\u00ad]+")


def header_key(name: object) -> str:
    """A header as it is compared: case, diacritics, spaces, '-', '_', '.' and invisible characters ignored.

    `Cliëntnummer`, `clientnummer` and `CLIENT-NUMMER` give one key; `Score vorig jaar` and `score_vorig_jaar` too.
    NFKD splits a letter from its diacritic (ë -> e + ¨), which is then left out, and folds a no-break
    space into a space."""
    decomposed = unicodedata.normalize("NFKD", str(name))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _IGNORED.sub("", plain.casefold())


@dataclass(frozen=True)
class ClaimField:
    """A field of a claim line: its Dutch name in messages and the column names that hold it."""

    label: str
    names: tuple[str, ...]  # as people write them; the first is the canonical name

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(header_key(n) for n in self.names)


# The exports of the declaration systems (and the names the toolkit has always read). Written as a
# reader finds them in a header; `header_key` makes `cliëntnummer`, `Cliënt nummer` and `CLIENTNUMMER`
# of each. No name may stand under two fields (tests/test_columns.py).
CLAIM_FIELDS: dict[str, ClaimField] = {
    "client_id": ClaimField("cliënt", (
        "client_id", "Cliënt", "Cliëntnummer", "Cliëntnr", "Cliënt-ID", "Pseudoniem", "BSN-pseudoniem",
        "Cliëntpseudoniem")),
    "postcode": ClaimField("postcode", ("postcode", "Postcode cliënt", "Cliëntpostcode", "PC4")),
    "insurer": ClaimField("verzekeraar", (
        "insurer", "Verzekeraar", "Zorgverzekeraar", "Label", "UZOVI", "UZOVI-code", "UZOVI-nummer")),
    "date": ClaimField("datum", (
        "date", "Datum", "Begindatum", "Prestatiedatum", "Begindatum prestatie", "Datum prestatie")),
    "provider": ClaimField("zorgaanbieder", (
        "provider", "Zorgaanbieder", "AGB", "AGB-code", "AGB-code zorgaanbieder", "AGB zorgaanbieder",
        "Zorgaanbiedercode")),
    "care_type": ClaimField("zorgsoort", ("care_type", "Zorgsoort", "Prestatie", "Prestatiecode", "Soort zorg")),
    "amount": ClaimField("bedrag", ("amount", "Bedrag", "Declaratiebedrag", "Bedrag (€)", "Declaratiebedrag (€)")),
}


def match_columns(header: Sequence[object], fields: Sequence[str], *, required: Sequence[str], where: str,
                  known: Mapping[str, ClaimField] = CLAIM_FIELDS) -> dict[str, str]:
    """field -> the column of `header` (as written in the file) that holds it, for the `fields` wanted.

    Refused with an InputError naming `where`: two columns that both hold one field (naming both as
    written), and missing `required` fields (naming the usual column names and the columns found)."""
    found: dict[str, list[str]] = {}
    by_key = {key: field for field in fields for key in known[field].keys}
    for column in header:
        field = by_key.get(header_key(column))
        if field is not None:
            found.setdefault(field, []).append(str(column))
    for field, columns in found.items():
        if len(columns) > 1:
            first, second = columns[:2]
            what = (f"kolom \"{second}\" komt twee keer voor in de kopregel" if first == second else
                    f"de kolommen \"{first}\" en \"{second}\" zijn dezelfde kolom, anders gespeld"
                    if header_key(first) == header_key(second) else
                    f"de kolommen \"{first}\" en \"{second}\" zijn allebei {known[field].label}")
            raise InputError(f"{where}: {what}; laat er één over (hernoem of verwijder de andere kolom)",
                             field=field, value=second, file=where)
    missing = [f for f in required if f not in found]
    if missing:
        what = "; ".join(f"{known[f].label} (bijvoorbeeld {', '.join(_shown(known[f].names))})" for f in missing)
        listed = ", ".join(show_value(str(c)) for c in header[:12]) or "geen"
        more = f" en nog {len(header) - 12}" if len(header) > 12 else ""
        count = "1 kolom ontbreekt" if len(missing) == 1 else f"{len(missing)} kolommen ontbreken"
        # One column found: the file is most often split by another character than the one it uses.
        hint = " Controleer het scheidingsteken (; of ,) en de kopregel." if len(header) == 1 else ""
        raise InputError(f"{where}: {count}: {what}. Gevonden kolommen: {listed}{more}.{hint}", field=missing[0],
                         file=where)
    return {field: found[field][0] for field in fields if field in found}


def _shown(names: tuple[str, ...]) -> list[str]:
    """The names a message suggests: the Dutch ones (the canonical English name is for programs)."""
    return [f"\"{n}\"" for n in names[1:5]]


__all__ = ["CLAIM_FIELDS", "ClaimField", "header_key", "match_columns"]
