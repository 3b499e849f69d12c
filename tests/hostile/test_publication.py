"""Identifiers in public outputs: one check over every public artefact, fed with the
extract's own identifiers; finding text in public outputs never quotes a value.

The attacker plants a CHILD id, a date of birth and a postcode in finding values, a PLACE
code, a local measure's group and notes, and in each kind of artefact (HTML, executed
notebook, results CSV, spreadsheet, manifest).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from cppanalytics.pipeline import ReportData, ReportParams
from cppanalytics.presentation import sections
from cppanalytics.reporting.outputs import write_scorecard_xlsx
from cppanalytics.reporting.publication import (
    DisclosureError,
    Identifiers,
    artefact_problems,
    check_folder,
    check_local_measures,
    find_identifiers,
    identifiers_of,
    public_findings,
    public_message,
)
from cppanalytics.ssda903.dataset import Dataset
from tests.hostile.build import FUTURE_DOB, PLANTED_POSTCODE, identifiers_in_local_measures

CHILD = "100183"
IDS = Identifiers.from_values(
    children=[CHILD, "U826582204147"], postcodes=["MK5 7FP"], dates=["2012-05-14", "2035-06-30"]
)
PLANTED = {"child": CHILD, "dob": FUTURE_DOB, "postcode": PLANTED_POSTCODE}


# --------------------------------------------------------------------------- texts


@pytest.mark.parametrize(
    "text",
    [
        "Child 100183 moved twice.",
        "<td>100183</td>",
        "placed at MK5 7FP",
        "placed at mk57fp",  # the extract's postcode without its space
        "placed at SW1A 1AA",  # any postcode
        "UPN U826582204147",
        "born 14/05/2012",
        "14 May 2012",
        "2012-05-14",
        "DOB 30/06/2035 is after today's date.",  # a quarter end, but in the future
        "date of birth 31/03/2016",  # a quarter end, but next to 'birth'
        "seen on 17/08/2026",  # not a date a report shows: could be a date of birth
    ],
)
def test_text_with_an_identifier_is_refused(text: str) -> None:
    assert find_identifiers(text, IDS), text


@pytest.mark.parametrize(
    "text",
    [
        "412 children at 30 Sep 2026; since 1 April 2026; England at 31 March 2025.",
        "Care leavers: projected figures at 31 March 2027",
        "window 2025-10-01 to 2026-09-30",
        "1,001,83 and 10.100183 and rate 100183.5",  # figures, not the id as a word
        "no OC2 data for 2024-25",
    ],
)
def test_report_text_is_not_refused(text: str) -> None:
    assert find_identifiers(text, IDS) == []


def test_numbers_in_figure_columns_are_figures_but_text_columns_are_checked() -> None:
    figures = pd.DataFrame(
        {"indicator_id": ["pop"], "group": ["all"], "denominator": [100183], "value": ["c"]}
    )
    assert find_identifiers(figures, IDS) == []
    as_group = pd.DataFrame({"indicator_id": ["x"], "group": [CHILD], "value": [1]})
    assert "column 'group'" in find_identifiers(as_group, IDS)[0]


def test_problems_never_quote_the_identifier() -> None:
    for text in ("Child 100183", "MK5 7FP", "14/05/2012", "U826582204147"):
        for problem in find_identifiers(text, IDS):
            assert not any(v in problem for v in ("100183", "MK5", "14/05", "U8265")), problem


# --------------------------------------------------------------------------- findings text


@pytest.mark.parametrize(
    ("message", "value", "expected"),
    [
        ("DOB 30/06/2035 is after today's date.", "30/06/2035", "DOB is after today's date."),
        ("PLACE 'MK9 3EJ' is not a valid 903 code.", "MK9 3EJ", "PLACE is not a valid 903 code."),
        ("PLACE '100183' is not a valid 903 code.", "100183", "PLACE is not a valid 903 code."),
        (
            "episode starts (2019-03-02) before the child's date of birth in Header.",
            "",
            "episode starts before the child's date of birth in Header.",
        ),
        ("child 100183 has two open episodes.", "", "child has two open episodes."),
    ],
)
def test_public_message_quotes_no_value(message: str, value: str, expected: str) -> None:
    assert public_message(message, value, IDS) == expected


def _report(findings: pd.DataFrame, mode: str, tmp_path: Path) -> ReportData:
    params = ReportParams.from_notebook(
        council_name="X",
        la_code="E06000042",
        period_end="2026-09-30",
        data_dir=str(tmp_path),
        mode=mode,
    )
    data = Dataset.from_tables(
        {
            "header": pd.DataFrame(
                {
                    "CHILD": [CHILD, "100423"],
                    "DOB": ["14/05/2012", "12/05/2012"],
                    "UPN": ["U826582204147", ""],
                }
            )
        }
    )
    return ReportData(
        params=params,
        data=data,
        results=pd.DataFrame(),
        judged=pd.DataFrame(),
        findings=findings,
        period_ends=[],
    )


def _hostile_findings() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "severity": ["error", "warning", "warning"],
            "code": ["date_future", "code_invalid", "code_invalid_child"],
            "table": ["header", "episodes", "episodes"],
            "file": ["2026-27/header.csv", "2026-27/episodes.csv", "2026-27/episodes.csv"],
            "row": [4, 9, 10],
            "column": ["DOB", "PLACE", "PLACE"],
            "value": [FUTURE_DOB, PLANTED_POSTCODE, CHILD],
            "child": ["100423", CHILD, "100423"],
            "message": [
                f"DOB {FUTURE_DOB} is after today's date.",
                f"PLACE '{PLANTED_POSTCODE}' is not a valid 903 code.",
                f"PLACE '{CHILD}' is not a valid 903 code.",
            ],
            "fix": ["Correct DOB in the source system."] * 3,
            "action": ["loaded"] * 3,
            "indicators": [""] * 3,
        }
    )


def test_public_data_quality_section_quotes_no_value(tmp_path: Path) -> None:
    report = _report(_hostile_findings(), "public", tmp_path)
    page = sections.data_quality_section(report).data  # type: ignore[attr-defined]
    assert "DOB is after today&#x27;s date." in page or "DOB is after today's date." in page
    for planted in (FUTURE_DOB, PLANTED_POSTCODE, CHILD, "2035"):
        assert planted not in page
    assert find_identifiers(page, identifiers_of(report.data)) == []


def test_internal_data_quality_section_still_shows_values(tmp_path: Path) -> None:
    report = _report(_hostile_findings(), "internal", tmp_path)
    page = sections.data_quality_section(report).data  # type: ignore[attr-defined]
    assert FUTURE_DOB in page and PLANTED_POSTCODE in page
    assert find_identifiers(page, identifiers_of(report.data))  # the check would refuse it


def test_public_findings_keep_counts_but_no_ids() -> None:
    out = public_findings(_hostile_findings(), IDS)
    assert out["child"].tolist() == ["1", "2", "1"]  # two distinct children, ids gone
    assert (out["value"] == "").all() and (out["file"] == "").all() and out["row"].isna().all()


# --------------------------------------------------------------------------- artefacts


def _notebook(text: str) -> dict:
    return {
        "cells": [
            {
                "cell_type": "code",
                "source": ["x = 1\n"],
                "metadata": {},
                "outputs": [
                    {
                        "output_type": "display_data",
                        "metadata": {},
                        "data": {
                            "text/html": [f"<p>{text}</p>"],
                            "image/png": "iVBOR/100183+MK57FP/",
                        },
                    }
                ],
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


@pytest.mark.parametrize("kind", ["child", "dob", "postcode"])
@pytest.mark.parametrize("artefact", ["html", "ipynb", "csv_note", "csv_group", "xlsx", "manifest"])
def test_every_artefact_is_checked(kind: str, artefact: str, tmp_path: Path) -> None:
    value = {"child": CHILD, "dob": "14/05/2012", "postcode": "MK5 7FP"}[kind]
    path = tmp_path / "report"
    path.mkdir()
    if artefact == "html":
        (path / "r.html").write_text(f"<html><body><p>Note: {value}</p></body></html>")
    elif artefact == "ipynb":
        (path / "r.ipynb").write_text(json.dumps(_notebook(f"Note: {value}")))
    elif artefact.startswith("csv"):
        col = artefact.split("_")[1]
        frame = pd.DataFrame(
            {
                "indicator_id": ["local"],
                "period_end": ["2026-09-30"],
                "group": ["all"],
                "value": [4],
                "note": [""],
            }
        )
        frame.loc[0, col] = value
        frame.to_csv(path / "results.csv", index=False)
    elif artefact == "xlsx":
        write_scorecard_xlsx(
            pd.DataFrame({"Indicator": ["Local", "Other"], "Note": [value, "fine"]}),
            path / "scorecard.xlsx",
            title="Scorecard",
        )
    else:
        (path / "manifest.json").write_text(json.dumps({"notes": [f"see {value}"]}))
    problems = [p for f in path.iterdir() for p in artefact_problems(f, IDS)]
    assert problems, (artefact, kind)
    with pytest.raises(DisclosureError, match="was not published"):
        check_folder(path, IDS)


def test_clean_artefacts_and_pictures_pass(tmp_path: Path) -> None:
    (tmp_path / "r.ipynb").write_text(json.dumps(_notebook("412 children at 30 Sep 2026")))
    write_scorecard_xlsx(
        pd.DataFrame({"Indicator": ["Children in care"], "Value": [100183]}),
        tmp_path / "scorecard.xlsx",
        title="Scorecard, 30 Sep 2026",
    )
    pd.DataFrame({"indicator_id": ["cla_rate"], "denominator": [100183], "value": ["c"]}).to_csv(
        tmp_path / "results.csv", index=False
    )
    check_folder(tmp_path, IDS)  # the picture's base64 and figures are not identifiers


# --------------------------------------------------------------------------- local measures


@pytest.mark.parametrize("where", ["group", "note"])
def test_local_measures_with_identifiers_are_refused(where: str, tmp_path: Path) -> None:
    path = identifiers_in_local_measures(tmp_path / "local.csv", PLANTED, "2026-09-30", where)
    ids = IDS | Identifiers.from_values(dates=[FUTURE_DOB], postcodes=[PLANTED_POSTCODE])
    with pytest.raises(DisclosureError, match=rf"local.csv row 2, column '{where}'"):
        check_local_measures(path, ids)


def test_identifiers_of_a_dataset_include_findings_values() -> None:
    ds = Dataset.from_tables(
        {
            "header": pd.DataFrame({"CHILD": [CHILD], "DOB": ["14/05/2012"], "UPN": [""]}),
            "episodes": pd.DataFrame(
                {
                    "CHILD": [CHILD],
                    "DECOM": ["01/04/2023"],
                    "HOME_POST": ["MK5 7FP"],
                    "PL_POST": ["mk9 3ej"],
                }
            ),
        }
    )
    ds.findings = pd.DataFrame({"child": ["200200"], "column": ["DOB"], "value": ["31/02/2011"]})
    ids = identifiers_of(ds)
    assert {CHILD, "200200", "MK57FP", "MK93EJ"} <= ids.words
    assert pd.Timestamp("2012-05-14").date() in ids.dates
    assert find_identifiers("born 31/02/2011", ids)  # unreadable DOB text: still refused
