"""What a claim set says as a whole, checked once every line is read: does it hold the year asked for,
and does one file repeat the lines of another?

A wrong policy year is the most common honest mistake (`--year 2026` on the claims of 2025): every line
then falls outside the claims year, and the answer would be "0 clients, does not meet" for every
provider. So the run stops when no line, or almost no line, is of the year that counts:

- "almost no line" is fewer than `MIN_SHARE_IN_YEAR` (1 %) of the valid lines, all insurers together:
  a few late lines of the year before in an export of the next year are the usual picture of a wrong
  year, not of a year that holds a handful of claims;
- the message names the year that counts and why (the claims year of a policy year), the years the files
  hold, and proposes the policy year whose claims year is the file's most common year.

When more lines are of another year than of the claims year (but at least 1 % of them are of it), the
run goes on with a warning that proposes the other policy year: a whole year's history handed in for
one claims year is a legitimate input. When only some lines fall outside the year, each provider's
report counts them (`lines_other_years`), and the command line shows them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np

from ..choices import REPEATED_LINES, choose
from ..errors import InputError, cannot_read, dutch_list
from ..numbers import format_number
from ..rules.ratio import RatioPolicy, claims_year

MIN_SHARE_IN_YEAR = Decimal("0.01")


def lines_text(count: int) -> str:
    """'1 regel', '2 regels', '1.234 regels'."""
    return f"{format_number(count)} {'regel' if count == 1 else 'regels'}"


def years_text(years: Mapping[int, int]) -> str:
    """'2025', or '2024 (12 regels) en 2025 (1.234 regels)': the most common four, in year order."""
    common = sorted(sorted(years, key=lambda y: -years[y])[:4])
    if len(common) == 1:
        return str(common[0])
    parts = [f"{y} ({lines_text(years[y])})" for y in common]
    more = f" en nog {len(years) - 4} andere jaren" if len(years) > 4 else ""
    return dutch_list(parts) + more


@dataclass(frozen=True)
class YearFinding:
    """The claims year against the years the files hold. `message_for(option)` words the proposal with the
    name its user types (`--year` on the command line; `beleidsjaar` by default)."""

    policy_year: int
    claims_year: int
    context: str  # why this year counts: "het declaratiejaar bij beleidsjaar 2026"
    years: Mapping[int, int]  # valid lines per year
    files: int
    proposal: int | None  # the policy year whose claims year is the files' most common year

    @property
    def in_year(self) -> int:
        return self.years.get(self.claims_year, 0)

    def found(self) -> str:
        total = sum(self.years.values())
        others = years_text({y: n for y, n in self.years.items() if y != self.claims_year})
        if not self.in_year:
            holds = "het bestand bevat" if self.files == 1 else "de bestanden bevatten"
            return f"geen declaratieregels uit {self.claims_year} ({self.context}); {holds} {others}"
        verb = "komt" if self.in_year == 1 else "komen"
        return (f"maar {format_number(self.in_year)} van de {lines_text(total)} {verb} uit {self.claims_year} "
                f"({self.context}); de andere uit {others}")

    def message_for(self, option: str = "beleidsjaar") -> str:
        proposal = f" — bedoelt u {option} {self.proposal}?" if self.proposal is not None else ""
        return self.found() + proposal


class ClaimsYearError(InputError):
    """No (or almost no) claim line of the year that counts: the run stops (exit 1 on the command line)."""

    def __init__(self, finding: YearFinding) -> None:
        self.finding = finding
        super().__init__(finding.message_for(), field="year", value=finding.policy_year)


def check_claims_year(years: Mapping[int, int], *, policy_year: int, claims_year: int, context: str, files: int,
                      propose: Callable[[int], int | None]) -> YearFinding | None:
    """Raise ClaimsYearError when fewer than MIN_SHARE_IN_YEAR of the valid lines (`years`: lines per
    year) are of `claims_year`; return a finding to warn with when another year has more lines than it
    (the run goes on); None when the claims year is the files' main year. `propose(year)`: the policy
    year whose claims are of `year` (None when the parameter data covers no such year)."""
    total = sum(years.values())
    others = {y: n for y, n in years.items() if y != claims_year}
    if not others:
        return None
    common = max(others, key=lambda y: (others[y], y))
    in_year = years.get(claims_year, 0)
    if in_year >= others[common]:
        return None
    finding = YearFinding(policy_year, claims_year, context, dict(years), files, propose(common))
    if in_year < MIN_SHARE_IN_YEAR * total:
        raise ClaimsYearError(finding)
    return finding


# --------------------------------------------------------------------------- lines repeated across files

class RepeatFinder:
    """Counts the claim lines of each file that an earlier file of the claim set already holds.

    A line is its 64-bit key (`lines.Processor._line_keys`: provider, client, day, care type, and the
    amount where the computation reads amounts). Within one file a repeated key is a claim of its own
    (two visits on one day); across files it is an export handed in twice (overlapping months, a copy
    under another name). Kept: the distinct keys of the files read so far, sorted, each with the first
    file that held it in its low bits (the top bits stay the key: enough for the chance of two claims
    sharing one to stay negligible), so memory is eight bytes per distinct counted line, and only while
    reading a set of several files."""

    def __init__(self, files: int) -> None:
        self._bits = np.uint64(max(1, (files - 1).bit_length()))
        self._mask = (np.uint64(1) << self._bits) - np.uint64(1)
        self._seen = np.zeros(0, np.uint64)
        self._pending: list[np.ndarray] = []
        self.found: list[tuple[int, int, int]] = []  # (file, earlier file, lines)

    def add(self, keys: np.ndarray) -> None:
        self._pending.append(keys)

    def end_of_file(self, index: int) -> None:
        keys = np.concatenate(self._pending) if self._pending else np.zeros(0, np.uint64)
        self._pending = []
        keys >>= self._bits
        keys.sort()
        new = keys
        if len(self._seen) and len(keys):
            # The first entry of each key sorts where the key with file 0 would: no copy of what is kept.
            at = np.minimum(np.searchsorted(self._seen, keys << self._bits), len(self._seen) - 1)
            found = self._seen[at]
            hit = (found >> self._bits) == keys
            if hit.any():
                earlier = np.bincount((found[hit] & self._mask).astype(np.int64), minlength=index)
                self.found.extend((index, int(i), int(earlier[i])) for i in np.flatnonzero(earlier))
                new = keys[~hit]
            del at, found, hit
        if len(new):
            first = np.empty(len(new), bool)
            first[:1] = True
            np.not_equal(new[1:], new[:-1], out=first[1:])
            tagged = (new[first] << self._bits) | np.uint64(index)
            del new, keys
            # Grown in place (realloc, not a second copy of everything kept) and merged: two sorted runs.
            kept = len(self._seen)
            self._seen.resize(kept + len(tagged), refcheck=False)
            self._seen[kept:] = tagged
            self._seen.sort(kind="stable")


@dataclass(frozen=True)
class Repeat:
    """`lines` claim lines of `file` that `also_in`, an earlier file of the claim set, holds too."""

    file: str
    also_in: str
    lines: int


def repeats_text(repeats: tuple[Repeat, ...]) -> str:
    """'b.csv: 120 regels staan ook in a.csv; …' (the first five pairs)."""
    shown = "; ".join(f"{r.file}: {lines_text(r.lines)} {'staat' if r.lines == 1 else 'staan'} ook in {r.also_in}"
                      for r in repeats[:5])
    return shown + (f"; en nog {len(repeats) - 5} paren van bestanden" if len(repeats) > 5 else "")


class RepeatedLinesError(InputError):
    """Claim lines repeated across files, refused (`repeated="refuse"`). `message_for(option)` names the
    way to count them anyway as its user types it (`--dubbel negeren` on the command line)."""

    def __init__(self, repeats: tuple[Repeat, ...], compared: str, effect: str) -> None:
        self.repeats, self.compared, self.effect = repeats, compared, effect
        super().__init__(self.message_for('repeated="ignore"'), field="repeated", value=self.lines,
                         file=repeats[0].file)

    @property
    def lines(self) -> int:
        return sum(r.lines for r in self.repeats)

    def message_for(self, option: str) -> str:
        total = self.lines
        effect = f" {self.effect} zou dan dubbel tellen." if self.effect else ""
        return (f"{lines_text(total)} {'komt' if total == 1 else 'komen'} in meer dan één bestand voor "
                f"({self.compared}): {repeats_text(self.repeats)}.{effect} Haal de dubbele export weg, of tel de "
                f"regels toch allemaal mee (bijvoorbeeld correcties) met {option}")


def check_repeats(repeats: tuple[Repeat, ...], repeated: str, compared: str, effect: str = "") -> None:
    """RepeatedLinesError when lines are repeated across files and `repeated` is "refuse". `compared`:
    what makes two lines the same claim, in words; `effect`: what would count twice ("De productie")."""
    if repeats and repeated == "refuse":
        raise RepeatedLinesError(repeats, compared, effect)


def repeated_lines(value: object) -> str:
    """"ignore" or "refuse" for the English or Dutch word."""
    return choose(value, REPEATED_LINES, field="repeated", label="dubbele regels",
                  expected="'negeren'/'ignore' of 'weigeren'/'refuse'")


def identical_files(paths: list[Path]) -> tuple[Path, Path] | None:
    """The first two files of the same content (an export saved twice, `a.csv` and `a (1).csv`), or None.
    Only files of equal size are read, and those a megabyte at a time."""
    by_size: dict[int, list[Path]] = {}
    for path in paths:
        try:
            size = path.stat().st_size
        except OSError as err:
            raise cannot_read(path, err) from None
        by_size.setdefault(size, []).append(path)
    for same_size in by_size.values():
        if len(same_size) < 2:
            continue
        seen: dict[bytes, Path] = {}
        for path in same_size:
            digest = hashlib.blake2b()
            try:
                with path.open("rb") as handle:
                    while block := handle.read(1 << 20):
                        digest.update(block)
            except OSError as err:  # (read here before its reader opens it)
                raise cannot_read(path, err) from None
            first = seen.setdefault(digest.digest(), path)
            if first is not path:
                return first, path
    return None


def policy_year_of_claims(policy: RatioPolicy) -> Callable[[int], int | None]:
    """For claims of the wrong year: the policy year whose claims year (by the ratio's offset, T−2) is the
    year found, if the data covers it, for the message that proposes it."""
    offset = policy.claims_year - policy.year

    def propose(found: int) -> int | None:
        try:
            return found - offset if claims_year(found - offset) == found else None
        except InputError:
            return None
    return propose


__all__ = [
    "MIN_SHARE_IN_YEAR",
    "REPEATED_LINES",
    "ClaimsYearError",
    "Repeat",
    "RepeatFinder",
    "RepeatedLinesError",
    "YearFinding",
    "check_claims_year",
    "check_repeats",
    "identical_files",
    "lines_text",
    "policy_year_of_claims",
    "repeated_lines",
    "repeats_text",
    "years_text",
]
