"""SPEC "Numbers as typed", table-driven, through every surface: the number reading itself, the Python
API, the Excel functions, `fill` (the summary of the Python engine) and the recalculated template.
The same text gives the same value, or the same refusal, everywhere."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from libreoffice import recalculate
from openpyxl import load_workbook

import toolkit
from toolkit import InputError, parse_number, udfs
from toolkit.workbook.fill import fill

# (typed, kind, value or None for a refusal); values as SPEC's table gives them.
SPELLINGS = [
    ("450.000", "money", "450000"), ("2.496", "money", "2496"), ("1.000.000", "money", "1000000"),
    ("1.234.567,89", "money", "1234567.89"), ("€ 1.234,56", "money", "1234.56"), ("1 234,5", "money", "1234.5"),
    ("1\u00a0234,5", "money", "1234.5"), ("1\u202f234,5", "money", "1234.5"), ("12,5", "money", "12.5"),
    ("-3,2", "number", "-3.2"), ("0,85", "money", "0.85"), ("12.5", "money", "12.5"), ("0.030", "money", "0.03"),
    ("0.85", "money", "0.85"), ("1,234.56", "money", "1234.56"), (" 12,50 ", "money", "12.5"),
    ("1.23,4.5", "money", None), ("1,2,3", "money", None), ("12.34.5", "money", None), ("1..2", "money", None),
    ("85%", "fraction", "0.85"), ("3,2 %", "fraction", "0.032"), ("85%", "money", None), ("3,2 %", "count", None),
    ("2,5", "count", None), ("2,0", "count", "2"), ("1.000", "count", "1000"), ("1e5", "money", None),
    ("4.99999999999999999", "number", None), ("1234567890123456", "money", None), ("€ 12", "count", None),
    ("", "money", None), ("twaalf", "money", None),
]


@pytest.mark.parametrize(("typed", "kind", "value"), SPELLINGS, ids=[f"{t!r}-{k}" for t, k, _ in SPELLINGS])
def test_the_reading(typed: str, kind: str, value: str | None) -> None:
    if value is None:
        with pytest.raises(InputError) as info:
            parse_number(typed, kind=kind, field="veld")
        assert f"'{typed}'" in str(info.value) and str(info.value).startswith("veld: ")
    else:
        assert parse_number(typed, kind=kind) == Decimal(value)


MONEY = [(t, v) for t, k, v in SPELLINGS if k == "money"]


@pytest.mark.parametrize(("typed", "value"), MONEY, ids=[repr(t) for t, _ in MONEY])
def test_api_and_excel_functions_agree_on_an_amount(typed: str, value: str | None) -> None:
    if value is None:
        with pytest.raises(InputError, match="granted_budget"):
            toolkit.staffel_reimbursement(typed, "A")
        cell = udfs.CZ_STAFFEL_VERGOEDING(typed, "A")
        assert isinstance(cell, str) and cell.startswith("#WAARDE! budget: ") and (not typed or typed in cell)
        return
    expected = (Decimal(value) * Decimal("0.9")).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert toolkit.staffel_reimbursement(typed, "A").amount == expected
    assert udfs.CZ_STAFFEL_VERGOEDING(typed, "A") == float(expected)


@pytest.mark.parametrize(("typed", "share"), [("85%", "0.85"), ("0,85", "0.85"), ("0.85", "0.85"), ("85", None),
                                              ("3,2 %", "0.032"), ("1,5", None)])
def test_api_and_excel_functions_agree_on_a_share(typed: str, share: str | None) -> None:
    args = dict(prelim_t=0, prelim_prev=0, final_prev=0)
    if share is None:
        with pytest.raises(InputError, match="zvw_share"):
            toolkit.index_nachtzorg_budget(1000, zvw_share=typed, **args)
        assert udfs.NZ_BUDGET(1000, 0, 0, 0, typed).startswith("#WAARDE! zvw_aandeel: ")
        return
    expected = toolkit.index_nachtzorg_budget(1000, zvw_share=Decimal(share), **args).reimbursed
    assert toolkit.index_nachtzorg_budget(1000, zvw_share=typed, **args).reimbursed == expected
    assert udfs.NZ_BUDGET(1000, 0, 0, 0, typed) == float(expected)


@pytest.mark.parametrize(("typed", "count"), [("1.000", 1000), ("110", 110), ("2,5", None), ("1e5", None),
                                              ("-1", None)])
def test_api_and_excel_functions_agree_on_a_count(typed: str, count: int | None) -> None:
    if count is None:
        with pytest.raises(InputError, match="clients"):
            toolkit.assess_cooperative(typed, 1)
        assert udfs.COOP_FTE_NODIG(typed).startswith(f"#WAARDE! clienten: '{typed}'")
        return
    assert toolkit.assess_cooperative(typed, 1).clients == count
    assert udfs.COOP_FTE_NODIG(typed) == float(toolkit.assess_cooperative(count, 1).required_fte)


@pytest.mark.parametrize(("typed", "hint"), [("3", "bedoelt u 3 % (0,03)?"), ("2,5", "bedoelt u 2,5 % (0,025)?")])
def test_an_index_typed_as_a_percentage_gets_a_question_back_everywhere(typed: str, hint: str,
                                                                       tmp_path: Path) -> None:
    with pytest.raises(InputError, match=hint.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
        toolkit.weighted_index(typed, 0.02)
    assert hint in udfs.NZ_GEWOGEN_INDEX(typed, 0.02)
    inputs = tmp_path / "in.csv"
    header = ["naam", "begroting", "pers_voorlopig_t", "mat_voorlopig_t", "pers_voorlopig_t1", "mat_voorlopig_t1",
              "pers_definitief_t1", "mat_definitief_t1"]
    inputs.write_text(";".join(header) + "\n" + ";".join(["a", "1000", typed, "0", "0", "0", "0", "0"]) + "\n",
                      encoding="utf-8")
    with pytest.raises(InputError, match=hint.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
        fill("nachtzorg", inputs, tmp_path / "uit")


@pytest.mark.parametrize(("call", "field"), [
    (lambda: toolkit.cooperative_max_turnover([8761], 50), "member_hours"),
    (lambda: toolkit.staffel_reimbursement(-5, "A"), "granted_budget"),
    (lambda: toolkit.staffel_reimbursement("85%", "A"), "granted_budget"),
    (lambda: toolkit.staffel_percentage("D"), "score_previous"),
    (lambda: toolkit.index_nachtzorg_budget(1, prelim_t=0, prelim_prev=0, final_prev=0, zvw_share=1.2), "zvw_share"),
])
def test_implausible_values_are_refused_naming_field_and_value(call: object, field: str) -> None:
    with pytest.raises(InputError) as info:
        call()  # type: ignore[operator]
    assert info.value.field == field and str(info.value).startswith(f"{field}: ") and "'" in str(info.value)


@pytest.mark.libreoffice
def test_fill_and_the_recalculated_template_read_every_spelling_alike(tmp_path: Path) -> None:
    """Each amount spelling as `aanvullend_budget` of a staffel INPUTS file: the summary (the Python engine)
    and the template, recalculated in LibreOffice, give the same reimbursement; refused spellings are
    rejected by fill naming row, column and value."""
    inputs = tmp_path / "in.csv"
    rows = [(f"k{i:02d}", typed) for i, (typed, _value) in enumerate(MONEY) if typed.strip()]
    with open(inputs, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["naam", "score_vorig_jaar", "aanvullend_budget"])
        writer.writerows([(key, "A", typed) for key, typed in rows])
    result = fill("staffel", inputs, tmp_path / "uit", skip_invalid=True)
    by_key = {c.key: c for c in result.cases}
    for (key, typed), (_t, value) in zip(rows, [m for m in MONEY if m[0].strip()], strict=True):
        case = by_key[key]
        if value is None:
            assert case.error and "aanvullend_budget" in case.error and typed in case.error, (typed, case.error)
        else:
            assert case.values["in_aanvullend_budget"] == Decimal(value), typed
    written = [tmp_path / "uit" / c.file for c in result.cases if c.file]
    converted = recalculate(written, tmp_path / "herberekend")
    for path in written:
        case = next(c for c in result.cases if c.file == path.name)
        wb = load_workbook(converted[path], data_only=True)
        sheet, cell = next(iter(wb.defined_names["out_vergoeding"].destinations))
        assert Decimal(repr(round(wb[sheet][cell.replace("$", "")].value, 2))) == case.outputs["out_vergoeding"], (
            path.name)


@pytest.mark.parametrize("zero", [-0.0, Decimal("-0"), Decimal("-0.00")])
def test_a_negative_zero_that_arrives_as_a_number_is_zero(zero: object, tmp_path: Path) -> None:
    """A spreadsheet cell can hold -0.0; summary.csv and the workbook must not show € -0,00."""
    assert str(parse_number(zero)).lstrip("0.") == "" and not str(parse_number(zero)).startswith("-")
    assert str(toolkit.staffel_reimbursement(zero, "A").amount) == "0.00"
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["naam", "score_vorig_jaar", "aanvullend_budget"])
    book.active.append(["nul", "A", float(zero)])  # type: ignore[arg-type]
    book.save(tmp_path / "in.xlsx")
    fill("staffel", tmp_path / "in.xlsx", tmp_path / "uit")
    row = next(csv.DictReader((tmp_path / "uit" / "summary.csv").open(encoding="utf-8")))
    assert row["out_vergoeding"] == "0.00", row


# Floats that arrive as numbers, read as the 15 significant digits a spreadsheet shows: the binary noise of
# computed cells is read away, but from 10^15 on those digits no longer reach the units, and a float that
# has more was silently rounded (2.0**53 as the count 9007199254740990) while the int 2**53 + 1 was refused.
FLOATS = [
    (2.0**53, None, "precies 9007199254740992"), (-(2.0**53), None, "precies -9007199254740992"),
    (1e15 + 2, None, "precies 1000000000000002"), (1e15 + 0.5, None, "precies 1000000000000000,5"),
    (1 / 3, "0.333333333333333", ""), (0.1 + 0.2, "0.3", ""), (123.45, "123.45", ""),
    (1e15, "1000000000000000", ""), (1e15 + 10, "1000000000000010", ""), (9.99999999999999e15, "9999999999999990", ""),
]


@pytest.mark.parametrize(("number", "value", "said"), FLOATS, ids=[repr(f) for f, _, _ in FLOATS])
def test_a_float_is_read_as_a_spreadsheet_keeps_it(number: float, value: str | None, said: str) -> None:
    if value is None:
        for kind in ("count", "money"):
            with pytest.raises(InputError) as info:
                parse_number(number, kind=kind, field="veld")
            assert f"heeft meer dan 15 significante cijfers ({said}; een spreadsheet bewaart er 15)" in str(
                info.value), str(info.value)
        with pytest.raises(InputError, match="in rij 3 heeft meer dan 15 significante cijfers"):
            parse_number(number, kind="count", field="veld", row=3)
    else:
        assert parse_number(number, kind="money") == Decimal(value)
