"""Generate synthetic wijkverpleging claim lines (declaratieregels) with a fixed seed.

No real person's data: client ids are random pseudonyms, provider codes are in a range no real AGB
code uses (99xxxxxx), postcodes are drawn at random from the PC4 range. Used for the bundled example
file, the tests and the benchmarks, so every run sees the same data.

    python examples/generate_claims.py                       # examples/declaraties_2025.csv (~20k lines)
    python examples/generate_claims.py --lines 5000000 --providers 500 --out /tmp/big.csv
    python examples/generate_claims.py --year 2027 --through-month 9 --lines 8000 --seed 2027 \
        --out examples/declaraties_2027.csv             # the omzetplafond example: January-September 2027
    python examples/generate_claims.py --year 2026 --lines 8000 --seed 2026 --out examples/declaraties_2026.csv
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

# (label as it appears in the export, weight). CZ group: CZ, OHRA, Nationale-Nederlanden, UZOVI 9664.
INSURERS = [
    ("CZ", 0.30), ("cz", 0.02), ("OHRA", 0.06), ("Nationale-Nederlanden", 0.04), ("9664", 0.05),
    ("Zilveren Kruis", 0.18), ("VGZ", 0.15), ("Menzis", 0.08), ("DSW", 0.05), ("ONVZ", 0.03),
    ("Zorg en Zekerheid", 0.03), ("a.s.r.", 0.01),
]
CARE_TYPES = [
    "Verpleging", "Persoonlijke verzorging", "Verpleging", "Persoonlijke verzorging", "Casemanagement dementie",
]


def generate(
    lines: int, providers: int, *, seed: int = 20251, typos: int = 3, year: int = 2025, through_month: int = 12
) -> pa.Table:
    """A table of `lines` claim lines spread over `providers` providers, dated up to the end of
    `through_month` of `year` (the claims known so far in a year that is still running)."""
    rng = np.random.default_rng(seed)
    # Each provider works in a compact region of PC4 areas; each client has a home area.
    lines_per_provider = max(1, lines // providers)
    clients_per_provider = max(3, lines_per_provider // 24)
    n_clients = clients_per_provider * providers
    provider_of_client = np.repeat(np.arange(providers), clients_per_provider)
    region_start = rng.integers(1000, 9800, size=providers)
    areas_per_provider = rng.integers(max(2, clients_per_provider // 6), max(3, clients_per_provider // 2) + 1,
                                      size=providers)
    offset = (rng.random(n_clients) ** 2 * areas_per_provider[provider_of_client]).astype(np.int64)
    home_pc4 = np.minimum(region_start[provider_of_client] + offset, 9999)
    client_insurer = rng.choice(len(INSURERS), size=n_clients, p=np.array([w for _, w in INSURERS]) /
                                sum(w for _, w in INSURERS))
    client_code = rng.choice(16**9, size=n_clients, replace=False)

    # Claim lines: pick clients, dates mostly in the claims year, a few in the years around it.
    client = np.sort(rng.integers(0, n_clients, size=lines))
    day = rng.integers(0, _days_through(year, through_month), size=lines)
    year_of_line = np.where(rng.random(lines) < 0.06, year - 1, year)
    year_of_line = np.where(rng.random(lines) < 0.03, year + 1, year_of_line)
    # About 2% of clients move once: their later lines carry a neighbouring area.
    movers = rng.random(n_clients) < 0.02
    moved = movers[client] & (day > 180)
    pc4 = np.where(moved, np.minimum(home_pc4[client] + 1 + rng.integers(0, 3, size=lines), 9999),
                   home_pc4[client])
    letters = np.array(list("ABCDEFGHJKLMNPRSTVWXZ"))
    style = rng.random(lines)
    pc4_text = pc.cast(pa.array(pc4), pa.string())
    suffix_a = letters[rng.integers(0, len(letters), size=lines)]
    suffix_b = letters[rng.integers(0, len(letters), size=lines)]
    full = pc.binary_join_element_wise(pc4_text, pa.array(np.char.add(suffix_a, suffix_b)), " ")
    compact = pc.utf8_lower(pc.binary_join_element_wise(pc4_text, pa.array(np.char.add(suffix_a, suffix_b)), ""))
    postcode = pc.if_else(pa.array(style < 0.80), pc4_text,
                          pc.if_else(pa.array(style < 0.95), full, compact))

    insurer_labels = np.array([label for label, _ in INSURERS], dtype=object)
    insurer = insurer_labels[client_insurer[client]]
    if typos:
        # A misspelt label ("C Z") must show up in the report, never be silently excluded.
        insurer[rng.choice(lines, size=min(typos, lines), replace=False)] = "C Z"

    new_year = np.array([f"{y}-01-01" for y in (year - 1, year, year + 1)], dtype="datetime64[D]")
    dates = pa.array(new_year[year_of_line - (year - 1)] + day.astype("timedelta64[D]"))
    date_text = pc.strftime(pc.cast(dates, pa.timestamp("s")), format="%Y-%m-%d")
    provider_code = pc.cast(pa.array(99000000 + provider_of_client[client]), pa.string())
    client_text = pc.binary_join_element_wise(
        "P", pc.utf8_lpad(pc.cast(pa.array(client_code[client]), pa.string()), width=11, padding="0"), "")
    care = np.array(CARE_TYPES, dtype=object)[rng.integers(0, len(CARE_TYPES), size=lines)]
    # The last provider delivers medische kindzorg only: the ratio does not apply to it.
    care = np.where(provider_of_client[client] == providers - 1, "Medische kindzorg", care)
    amount_cents = rng.integers(2500, 95000, size=lines)
    amount = pc.binary_join_element_wise(
        pc.cast(pa.array(amount_cents // 100), pa.string()),
        pc.utf8_lpad(pc.cast(pa.array(amount_cents % 100), pa.string()), width=2, padding="0"), ",")
    return pa.table({
        "zorgaanbieder": provider_code,
        "clientnummer": client_text,
        "postcode": postcode,
        "verzekeraar": pa.array(insurer, pa.string()),
        "prestatiedatum": date_text,
        "prestatie": pa.array(care, pa.string()),
        "bedrag": amount,
    })


def _days_through(year: int, month: int) -> int:
    """Days from 1 January to the end of `month` (365 for December: the generator ignores leap days)."""
    import datetime as dt

    if month == 12:
        return 365
    return (dt.date(year, month + 1, 1) - dt.date(year, 1, 1)).days


def write_csv(table: pa.Table, path: Path, delimiter: str = ";") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # No quoting: like most exports; the generated values never contain the delimiter.
    options = pacsv.WriteOptions(delimiter=delimiter, quoting_style="none")
    pacsv.write_csv(table, path, write_options=options)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--providers", type=int, default=6)
    parser.add_argument("--seed", type=int, default=20251)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("declaraties_2025.csv"))
    parser.add_argument("--delimiter", default=";")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--through-month", type=int, default=12)
    args = parser.parse_args()
    write_csv(generate(args.lines, args.providers, seed=args.seed, year=args.year, through_month=args.through_month),
              args.out, args.delimiter)
    print(f"{args.lines} regels geschreven naar {args.out}")


if __name__ == "__main__":
    main()
