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
    return [{"aanbieder": _name(i), "score_vorig_jaar": score_vorig, "score_contractjaar": score_contract,
             "kostenpunten": points,
             "plafondvrij": free, "productieafspraak": rng.choice(["", 80_000, 450_000, 1_250_000]),
             "aanvullend_budget": rng.randrange(10_000, 400_000, 250), "palliatief_terminaal": "nee",
             "fusie_faillissement": "nee"}
            for i, (score_vorig, score_contract, points, free) in enumerate(cases, start=1)]


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


def plafond(rng: random.Random) -> list[dict[str, object]]:
    """Eight or nine months of production against a ceiling, last year's twelve months as the profile.
    Amounts as a Dutch spreadsheet exports them (1.250.000, 98.412,50)."""
    rows: list[dict[str, object]] = []
    scores = [("A", "A", ""), ("B", "", 6), ("B", "", 3), ("C", "", ""), ("", "", "")]
    for i, (score_vorig, score_contract, points) in enumerate(scores, start=1):
        ceiling = rng.randrange(600, 2400) * 1000
        pace = rng.uniform(0.85, 1.2) * ceiling / 12
        known = rng.choice([8, 9])
        last_year = [round(ceiling / 12 * rng.uniform(0.85, 1.1), 2) for _ in range(12)]
        for month in range(12):
            amount = round(pace * rng.uniform(0.9, 1.1), 2) if month < known else ""
            rows.append({"aanbieder": _name(i), "plafond": _dutch(ceiling) if month == 0 else "",
                         "methode": rng.choice(["lineair", "seizoen"]) if month == 0 else "",
                         "score_vorig_jaar": score_vorig if month == 0 else "",
                         "score_contractjaar": score_contract if month == 0 else "",
                         "kostenpunten": points if month == 0 else "", "plafondvrij": "nee" if month == 0 else "",
                         "productieafspraak": _dutch(ceiling) if month == 0 else "",
                         "productie": _dutch(amount) if amount != "" else "", "vorig_jaar": _dutch(last_year[month])})
    return rows


def eigen_levering(rng: random.Random) -> list[dict[str, object]]:
    """Hours per quarter by own staff, full subsidiaries, zzp'ers and other subcontractors."""
    rows: list[dict[str, object]] = []
    for i in range(1, 6):
        own_part = rng.uniform(0.35, 0.8)
        for quarter in range(4):
            total = rng.randrange(4000, 20000)
            own = round(total * own_part)
            daughter = round(total * rng.uniform(0, 0.08)) if i % 2 else 0
            zzp = round((total - own - daughter) * rng.uniform(0.3, 0.7))
            rows.append({"aanbieder": _name(i), "cooperatie": ("ja" if i == 5 else "nee") if quarter == 0 else "",
                         "eigen": own, "volle_dochter": daughter, "zzp": zzp,
                         "onderaannemers": max(0, total - own - daughter - zzp)})
    return rows


def thuistechnologie(rng: random.Random) -> list[dict[str, object]]:
    """Clients for whom home-care technology is suitable and those using it: one provider exactly at the
    minimum (half, rounded up), one a client short, one without suitable clients (n.v.t.)."""
    rows: list[dict[str, object]] = []
    for i in range(1, 6):
        suitable = 0 if i == 5 else rng.randrange(40, 400)
        minimum = -(-suitable // 2)
        users = {1: minimum, 2: minimum - 1}.get(i, round(suitable * rng.uniform(0.3, 0.8)))
        rows.append({"aanbieder": _name(i), "jaar": 2027, "geschikt": suitable, "gebruikers": users})
    return rows


def casemanagement_dementie(rng: random.Random) -> list[dict[str, object]]:
    """Clients and fte of the specialised dementia case managers: one team exactly at the upper bound (130
    clients on 2 fte, the worked example), one above it (1,8 fte), the others drawn; fte as typed (2,5)."""
    rows: list[dict[str, object]] = [{"aanbieder": _name(1), "jaar": 2027, "clienten": 130, "fte": "2,0"},
                                     {"aanbieder": _name(2), "jaar": 2027, "clienten": 130, "fte": "1,8"}]
    for i in range(3, 6):
        fte = rng.randrange(5, 60) / 10
        rows.append({"aanbieder": _name(i), "jaar": 2027, "clienten": round(fte * rng.uniform(40, 75)),
                     "fte": f"{fte:.1f}".replace(".", ",")})
    return rows


def nieuwe_aanbieder(rng: random.Random) -> list[dict[str, object]]:
    """New providers registering for 2027: on time or not, in a kernwerkgebied (with their CZ clients per
    postcode) or not, a second registration, a rejection last year. Dates as people type them."""
    cases = [  # date, turnover, registered before, kernwerkgebied, rejected last year, development shown
        ("15-01-2027", 60_000, "nee", "ja", "nee", ""), ("2027-02-03", 85_000, "nee", "ja", "nee", ""),
        ("1-3-2027", 120_000, "nee", "nee", "nee", ""), ("3 januari 2027", 45_000, "nee", "nee", "nee", ""),
        ("28-02-2027", 72_500, "nee", "ja", "ja", "ja"), ("10-12-2026", 250_000, "ja", "nee", "nee", ""),
    ]
    rows: list[dict[str, object]] = []
    for i, (day, turnover, before, core, rejected, shown) in enumerate(cases, start=1):
        base = rng.randrange(1000, 9000)
        areas = rng.sample(range(base, base + 40), rng.randrange(2, 9)) if core == "ja" else [None]
        for j, area in enumerate(areas):
            first = j == 0
            rows.append({"aanbieder": _name(i), "jaar": 2027 if first else "", "inschrijfdatum": day if first else "",
                         "verwachte_omzet": _dutch(turnover) if first else "",
                         "eerder_ingeschreven": before if first else "", "kernwerkgebied": core if first else "",
                         "afgewezen_vorig_jaar": rejected if first else "",
                         "ontwikkeling_aangetoond": shown if first else "",
                         "postcodes": "" if area is None else str(area),
                         "clienten": "" if area is None else rng.choice([2, 3, 3, 4, 5, 6] if i != 2 else [1, 2, 3])})
    return rows


def _dutch(amount: float) -> str:
    """An amount as a Dutch spreadsheet writes it: 1.250.000 or 98.412,50."""
    whole, cents = divmod(round(amount * 100), 100)
    grouped = f"{whole:,}".replace(",", ".")
    return f"{grouped},{cents:02d}" if cents else grouped


GENERATORS = {"cz_ratio": cz_ratio, "staffel": staffel, "cooperatie": cooperatie, "nachtzorg": nachtzorg,
              "plafond": plafond, "eigen_levering": eigen_levering, "thuistechnologie": thuistechnologie,
              "nieuwe_aanbieder": nieuwe_aanbieder, "casemanagement_dementie": casemanagement_dementie}


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
