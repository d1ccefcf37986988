"""Generate the example INPUTS files for `zorginkoop demo` (synthetic, fixed seed).

One csv per template in examples/invoer/, with columns named after the template's inputs (without
`in_`) and a first column `aanbieder` as the key. Provider names are invented ("Voorbeeldzorg 01");
postcodes are drawn from the PC4 range. No real person or organisation appears.

    python examples/generate_inputs.py [--out examples/invoer]
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

SEED = 2027


def _name(i: int) -> str:
    return f"Voorbeeldzorg {i:02d}"


def cz_ratio(rng: random.Random) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for i in range(1, 7):
        year, kind = rng.choice([(2027, "bestaand"), (2027, "bestaand"), (2026, "bestaand"), (2027, "nieuw")])
        base = rng.randrange(1000, 9000)
        for j in range(rng.randrange(5, 40)):
            postcode = str(base + rng.randrange(0, 60))
            if rng.random() < 0.3:  # some full postcodes, as exports give them
                postcode += " " + rng.choice("ABCDEFGHJKLMNPRSTVWXZ") + rng.choice("ABCDEFGHJKLMNPRSTVWXZ")
            rows.append({"aanbieder": _name(i), "jaar": year if j == 0 else "", "soort": kind if j == 0 else "",
                         "postcodes": postcode, "clienten": rng.choice([1, 1, 2, 2, 3, 4, 5, 8])})
    return rows


def staffel(rng: random.Random) -> list[dict[str, object]]:
    cases = [("A", "A", "", "nee"), ("A", "B", "", "nee"), ("B", "", 6, "nee"), ("B", "", 3, "nee"),
             ("C", "", "", "nee"), ("", "", "", "nee"), ("C", "C", "", "ja"), ("B", "A", 5, "nee")]
    return [{"aanbieder": _name(i), "score_2026": s26, "score_2027": s27, "kostenpunten": points,
             "plafondvrij": free, "productieafspraak": rng.choice(["", 80_000, 450_000, 1_250_000]),
             "aanvullend_budget": rng.randrange(10_000, 400_000, 250), "palliatief_terminaal": "nee",
             "fusie_faillissement": "nee"}
            for i, (s26, s27, points, free) in enumerate(cases, start=1)]


def cooperatie(rng: random.Random) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for i in range(1, 5):
        clients = rng.randrange(20, 300)
        for j in range(rng.randrange(3, 25)):
            rows.append({"aanbieder": _name(i), "clienten": clients if j == 0 else "",
                         "fte_niveau6": round(rng.uniform(0.2, 6.0), 1) if j == 0 else "",
                         "uurtarief": rng.choice([58.5, 62.75, 71.0]) if j == 0 else "",
                         "nachtdienst": rng.choice(["ja", "nee"]) if j == 0 else "",
                         "uren_leden": rng.randrange(400, 2900, 4)})
    return rows


def nachtzorg(rng: random.Random) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for i in range(1, 5):
        def index() -> float:
            return round(rng.uniform(0.015, 0.055), 4)
        rows.append({"aanbieder": _name(i), "begroting": rng.randrange(200_000, 2_500_000, 1000),
                     "pers_voorlopig_t": index(), "mat_voorlopig_t": index(), "pers_voorlopig_t1": index(),
                     "mat_voorlopig_t1": index(), "pers_definitief_t1": index(), "mat_definitief_t1": index(),
                     "zvw_aandeel": round(rng.uniform(0.6, 1.0), 2),
                     "methode": "multiplicatief" if i != 4 else "additief"})
    return rows


GENERATORS = {"cz_ratio": cz_ratio, "staffel": staffel, "cooperatie": cooperatie, "nachtzorg": nachtzorg}


def write(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, generate in GENERATORS.items():
        rows = generate(random.Random(f"{SEED}-{name}"))
        path = out / f"{name}.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=";")
            writer.writeheader()
            writer.writerows(rows)
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "invoer")
    for path in write(parser.parse_args().out):
        print(path)


if __name__ == "__main__":
    main()
