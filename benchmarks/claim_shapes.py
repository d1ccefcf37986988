"""Synthetic claim files of six shapes for the benchmarks, with fixed seeds (no real person's data).

    python benchmarks/claim_shapes.py regional --lines 5000000 --out /tmp/regional.csv

- `project`: the project's own generator (`examples/generate_claims.py`): `;`, ISO dates, 80 % bare
  PC4, 500 providers in compact regions, about 2 % movers, sorted by client.
- `regional`: a regional provider export: `;`, Dutch headers in mixed case, dd-mm-yyyy dates, 50 % full
  postcodes (`5611 AB`, `5611AB`), AGB codes with a leading zero, 400 providers each in a region of
  5–300 PC4 areas, 3 % of clients in two areas, Dutch amounts (`1.234,56`, credit lines `-45,00`);
  sorted by provider, then date.
- `national`: a national file: `,`, English headers, ISO dates, 500 providers all over the country,
  every client in 3–12 areas (all movers), amounts with a decimal point (`123.45`); sorted by date, so
  every piece of the file holds every provider.
- `regional5` and `national5`: the same lines with five columns only (provider, client, postcode,
  insurer, date; no care type, no amount), as many exports have them: less for either side to parse, so
  the fixed costs (start-up, the cores kept busy, the end) weigh more. No production (no amounts).
- `quoted`: the regional lines as a system that quotes every field writes them (`"5611 AB"`), with a
  column `Opmerking`: empty on most lines, on one line in 200 a remark over two or three lines (typed with
  Alt+Enter) with a `;` and a quoted word in it. Every piece of the file has quotes, and fields over lines.

Files are written in blocks of a million lines from a population drawn once, so a 50-million-line file
needs no more memory than a 5-million-line one; the population grows with the number of lines (a
tenfold file has tenfold providers), keeping the shape the same per provider.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

BLOCK = 1_000_000
CLAIMS_YEAR = 2025
LETTERS = np.array(list("ABCDEFGHJKLMNPRSTVWXZ"))
INSURERS = [  # (label, weight); CZ group: CZ, OHRA, Nationale-Nederlanden, UZOVI 9664
    ("CZ", 0.28), ("cz", 0.02), ("OHRA", 0.06), ("Nationale-Nederlanden", 0.04), ("9664", 0.05),
    ("Zilveren Kruis", 0.18), ("VGZ", 0.15), ("Menzis", 0.09), ("DSW", 0.05), ("ONVZ", 0.03),
    ("Zorg en Zekerheid", 0.04), ("a.s.r.", 0.01),
]
CZ_LABELS = ("cz", "ohra", "nationale-nederlanden", "9664")
CARE = np.array(["Verpleging", "Persoonlijke verzorging", "Verpleging", "Casemanagement dementie"], dtype=object)


FIELDS = ("provider", "client", "postcode", "insurer", "date", "care", "amount")


@dataclass(frozen=True)
class Shape:
    name: str
    delimiter: str
    # The column name of each of FIELDS, in that order; None for a field the export does not have.
    columns: tuple[str, str, str, str, str, str | None, str | None]
    date_format: str  # for DuckDB's strptime
    amount_decimal: str  # the amount's decimal separator ("," also means "." groups thousands)
    lines_of: str = ""  # the shape whose lines these are (the same lines, fewer columns); itself when empty
    quoted: bool = False  # every field between quotes, and a column of remarks, some over several lines

    @property
    def header(self) -> list[str]:
        return [name for name in self.columns if name is not None] + (["Opmerking"] if self.quoted else [])

    @property
    def has_amounts(self) -> bool:
        return self.columns[6] is not None

    def duckdb_source(self, path: str) -> str:
        return f"read_csv({path!r}, delim={self.delimiter!r}, header=true, all_varchar=true, quote='\"')"

    def duckdb_ratio(self, path: str, claims_year: int = CLAIMS_YEAR) -> str:
        """Distinct CZ-group clients and PC4 areas per provider, claims year, kindzorg excluded (when the
        export says which lines are kindzorg)."""
        p, c, z, i, d, k, _ = (f'"{name}"' for name in self.columns)
        labels = ", ".join(f"'{label}'" for label in CZ_LABELS)
        kindzorg = f"and lower({k}) not like '%kindzorg%'" if self.columns[5] is not None else ""
        return f"""
            select {p} as provider, count(distinct {c}) as clients, count(distinct left({z}, 4)) as areas
            from {self.duckdb_source(path)}
            where lower(trim({i})) in ({labels})
              and year(strptime({d}, '{self.date_format}')) = {claims_year}
              {kindzorg}
            group by {p}"""

    def duckdb_production(self, path: str, year: int = CLAIMS_YEAR) -> str:
        """CZ-group amounts per provider and month of `year`, in cents, kindzorg included."""
        p, _, _, i, d, _, a = (f'"{name}"' for name in self.columns)
        labels = ", ".join(f"'{label}'" for label in CZ_LABELS)
        amount = (f"replace(replace({a}, '.', ''), ',', '.')" if self.amount_decimal == "," else a)
        return f"""
            select {p} as provider, month(strptime({d}, '{self.date_format}')) as month,
                   sum(cast({amount} as decimal(18, 2))) as amount
            from {self.duckdb_source(path)}
            where lower(trim({i})) in ({labels}) and year(strptime({d}, '{self.date_format}')) = {year}
            group by all"""


SHAPES = {
    "project": Shape("project", ";", ("zorgaanbieder", "clientnummer", "postcode", "verzekeraar", "prestatiedatum",
                                      "prestatie", "bedrag"), "%Y-%m-%d", ","),
    "regional": Shape("regional", ";", ("AGB", "Clientnummer", "Postcode", "Verzekeraar", "Begindatum", "Zorgsoort",
                                        "Bedrag"), "%d-%m-%Y", ","),
    "national": Shape("national", ",", ("provider", "client_id", "postcode", "insurer", "date", "care_type",
                                        "amount"), "%Y-%m-%d", "."),
    "regional5": Shape("regional5", ";", ("AGB", "Clientnummer", "Postcode", "Verzekeraar", "Begindatum", None, None),
                       "%d-%m-%Y", ",", lines_of="regional"),
    "national5": Shape("national5", ",", ("provider", "client_id", "postcode", "insurer", "date", None, None),
                       "%Y-%m-%d", ".", lines_of="national"),
    "quoted": Shape("quoted", ";", ("AGB", "Clientnummer", "Postcode", "Verzekeraar", "Begindatum", "Zorgsoort",
                                    "Bedrag"), "%d-%m-%Y", ",", lines_of="regional", quoted=True),
}
REMARKS = np.array(["Sleutel bij de buren;\r\nbellen vooraf", "Zegt \"tot morgen\"\r\n\r\nen gaat",
                    "Wondzorg\r\nlinkerbeen; 2x per dag"], dtype=object)


def _text(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(values), pa.string())


def _join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _pad(values: np.ndarray, width: int) -> pa.Array:
    return pc.utf8_lpad(_text(values), width=width, padding="0")


@dataclass
class _Population:
    """Providers and their clients, each client with its areas and insurer."""

    provider_code: np.ndarray  # text per provider
    client_provider: np.ndarray  # provider index per client
    client_id: np.ndarray  # text per client
    client_insurer: np.ndarray  # insurer index per client
    client_areas: np.ndarray  # (clients, max areas) PC4 per client and slot
    client_area_count: np.ndarray  # areas in use per client
    client_weight: np.ndarray  # relative number of lines per client


def _insurers(rng: np.random.Generator, n: int) -> np.ndarray:
    weights = np.array([w for _, w in INSURERS])
    return rng.choice(len(INSURERS), size=n, p=weights / weights.sum())


def _regional_population(rng: np.random.Generator, lines: int) -> _Population:
    providers = max(2, round(400 * lines / 5_000_000))
    size = rng.lognormal(0, 0.8, providers)
    clients_per = np.maximum(5, (size / size.sum() * lines / 25).astype(np.int64))
    n = int(clients_per.sum())
    client_provider = np.repeat(np.arange(providers), clients_per)
    region_areas = rng.integers(5, 301, providers)
    region_start = rng.integers(1000, 9999 - 300, providers)
    # Most clients near the provider's base: the first areas of a region hold the most clients.
    offset = (rng.random(n) ** 2 * region_areas[client_provider]).astype(np.int64)
    home = region_start[client_provider] + offset
    second = np.minimum(region_start[client_provider] + rng.integers(0, region_areas[client_provider]), 9999)
    two = rng.random(n) < 0.03
    areas = np.stack([home, np.where(two, second, home)], axis=1)
    codes = 1_000_000 + rng.choice(9_000_000, size=providers, replace=False)
    return _Population(
        provider_code=np.array([f"0{c}" for c in codes], dtype=object),  # AGB codes with a leading zero
        client_provider=client_provider,
        client_id=np.array([f"{c:09d}" for c in rng.choice(10**9, size=n, replace=False)], dtype=object),
        client_insurer=_insurers(rng, n),
        client_areas=areas,
        client_area_count=np.where(two & (second != home), 2, 1),
        client_weight=rng.lognormal(0, 0.5, n),
    )


def _national_population(rng: np.random.Generator, lines: int) -> _Population:
    providers = max(2, round(500 * lines / 5_000_000))
    clients_per = max(3, lines // providers // 10)
    n = clients_per * providers
    slots = 12
    areas = rng.integers(1000, 10000, size=(n, slots))  # all over the country
    codes = 10_000_000 + rng.choice(90_000_000, size=providers, replace=False)
    alphabet = np.array(list("0123456789abcdefghijklmnopqrstuvwxyz"))
    ids = ["".join(row) for row in alphabet[rng.integers(0, 36, size=(n, 12))]]
    return _Population(
        provider_code=np.array([str(c) for c in codes], dtype=object),
        client_provider=np.repeat(np.arange(providers), clients_per),
        client_id=np.array(ids, dtype=object),
        client_insurer=_insurers(rng, n),
        client_areas=areas,
        client_area_count=rng.integers(3, slots + 1, size=n),  # every client in 3-12 areas: all movers
        client_weight=np.ones(n),
    )


def _blocks(shape: str, lines: int, seed: int) -> Iterator[pa.Table]:
    rng = np.random.default_rng(seed)
    people = (_regional_population if shape == "regional" else _national_population)(rng, lines)
    n = len(people.client_provider)
    p_client = people.client_weight / people.client_weight.sum()
    insurer_labels = np.array([label for label, _ in INSURERS], dtype=object)
    kindzorg_provider = len(people.provider_code) - 1  # delivers medische kindzorg only: the ratio is n.v.t.
    done = 0
    block_number = 0
    while done < lines:
        count = min(BLOCK, lines - done)
        block = np.random.default_rng([seed, block_number])
        client = block.choice(n, size=count, p=p_client)
        slot = (block.random(count) * people.client_area_count[client]).astype(np.int64)
        pc4 = people.client_areas[client, slot]
        year = np.where(block.random(count) < 0.06, CLAIMS_YEAR - 1, CLAIMS_YEAR)
        year = np.where(block.random(count) < 0.03, CLAIMS_YEAR + 1, year)
        day = block.integers(0, 365, count)
        provider = people.client_provider[client]
        # Regional: per provider, then by date. National: by date, so every piece holds every provider.
        keys = (day, year, provider) if shape == "regional" else (provider, day, year)
        order = np.lexsort(keys)
        client, pc4, year, day, provider = client[order], pc4[order], year[order], day[order], provider[order]

        dates = (np.array([f"{y}-01-01" for y in year], dtype="datetime64[D]") if count < 1000 else
                 (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")) + day.astype("timedelta64[D]")
        stamps = pc.cast(pa.array(dates), pa.timestamp("s"))
        date_text = pc.strftime(stamps, format="%d-%m-%Y" if shape == "regional" else "%Y-%m-%d")

        pc4_text = _text(pc4)
        pair = _join(_text(LETTERS[block.integers(0, len(LETTERS), count)]),
                     _text(LETTERS[block.integers(0, len(LETTERS), count)]))
        style = block.random(count)
        full_share = 0.5 if shape == "regional" else 0.3
        postcode = pc.if_else(pa.array(style < 1 - full_share), pc4_text,
                              pc.if_else(pa.array(style < 1 - full_share / 2), _join(pc4_text, " ", pair),
                                         _join(pc4_text, pair)))
        insurer = insurer_labels[people.client_insurer[client]]
        typo = block.random(count) < 1e-6  # a misspelt label must be reported, never silently excluded
        insurer[typo] = "C Z"
        care = CARE[block.integers(0, len(CARE), count)]
        care[provider == kindzorg_provider] = "Medische kindzorg"

        cents = np.round(block.lognormal(4.5, 1.2, count) * 100).astype(np.int64)
        cents = np.where(block.random(count) < 0.01, -cents, cents)  # credit lines
        amount = _amounts(cents, shape)
        yield pa.table({
            "provider": pa.array(people.provider_code[provider], pa.string()),
            "client": pa.array(people.client_id[client], pa.string()),
            "postcode": postcode,
            "insurer": pa.array(insurer, pa.string()),
            "date": date_text,
            "care": pa.array(care, pa.string()),
            "amount": amount,
        })
        done += count
        block_number += 1


def _amounts(cents: np.ndarray, shape: str) -> pa.Array:
    sign = np.where(cents < 0, "-", "")
    whole, part = np.abs(cents) // 100, np.abs(cents) % 100
    if shape == "regional":  # Dutch: 1.234,56
        thousands = whole // 1000
        grouped = pc.if_else(pa.array(thousands > 0), _join(_text(thousands), ".", _pad(whole % 1000, 3)),
                             _text(whole))
        return _join(_text(sign), grouped, ",", _pad(part, 2))
    return _join(_text(sign), _text(whole), ".", _pad(part, 2))


def write(shape: str, lines: int, path: Path, *, seed: int = 13) -> None:
    """Write `lines` claim lines of `shape` to `path` (csv)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    spec = SHAPES[shape]
    lines_of = spec.lines_of or shape
    if shape == "project":
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
        from generate_claims import generate, write_csv

        write_csv(generate(lines, max(2, round(500 * lines / 5_000_000)), seed=5_000_000), path)
        return
    options = pacsv.WriteOptions(delimiter=spec.delimiter, quoting_style="all_valid" if spec.quoted else "none",
                                 include_header=False)
    with path.open("wb") as handle:
        header = [f'"{name}"' for name in spec.header] if spec.quoted else spec.header
        handle.write((spec.delimiter.join(header) + "\n").encode())
        present = [field for field, name in zip(FIELDS, spec.columns, strict=True) if name is not None]
        remarks = np.random.default_rng([seed, 200])
        for table in _blocks(lines_of, lines, seed):
            table = table.select(present)
            if spec.quoted:
                text = np.where(remarks.random(len(table)) < 1 / 200,
                                REMARKS[remarks.integers(0, len(REMARKS), len(table))], "")
                table = table.append_column("remark", pa.array(text, pa.string()))
            pacsv.write_csv(table, handle, write_options=options)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("shape", choices=sorted(SHAPES))
    parser.add_argument("--lines", type=int, default=5_000_000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    write(args.shape, args.lines, args.out, seed=args.seed)


if __name__ == "__main__":
    main()
