"""Scorecard columns and order, section tables, HTML accessibility, public-mode symbols."""

from __future__ import annotations

import pandas as pd

from cppanalytics.presentation import html_tables, scorecard, tables


def test_scorecard_columns_and_row_order(judged: pd.DataFrame) -> None:
    card = scorecard.scorecard(judged, "2026-09-30")
    assert list(tables.visible(card).columns) == scorecard.SCORECARD_COLUMNS
    assert scorecard.SCORECARD_COLUMNS == [
        "Indicator", "This quarter", "Same quarter last year", "Last 31 March", "England",
        "Region", "Statistical neighbours", "Comparator year", "Target", "RAG",
        "Direction of travel",
        "Trend (last 8 quarters)"]
    assert card["_indicator_id"].tolist() == [
        "cla_count", "cla_rate_per_10k", "stability_3plus_placements",
        "stability_3plus_placements", "placed_within_20_miles", "health_assessment",
        "adoption_a1_days"]


def test_scorecard_values(judged: pd.DataFrame) -> None:
    card = scorecard.scorecard(judged, "2026-09-30").set_index("Indicator")
    cla = card.loc["Children in care"]
    assert (cla["This quarter"], cla["Same quarter last year"], cla["Last 31 March"]) == (
        "280", "268", "275")
    assert cla["Target"] == "z" and cla["RAG"] == "No target"
    assert cla["Direction of travel"] == "Up ▲"  # polarity neither: plain direction
    fytd = card.loc["3 or more placements (since 1 April)"]
    assert (fytd["This quarter"], fytd["Target"], fytd["RAG"]) == ("12%", "10%", "Red")
    assert fytd["Last 31 March"] == "14%"  # at 31 March the year to date is the rolling year
    assert fytd["Same quarter last year"] == "6%"  # 15 of 268
    assert fytd["Direction of travel"] == "Worse ▲"  # lower is better, and it rose: arrow up
    health = card.loc["Annual health assessment"]
    assert (health["This quarter"], health["Last 31 March"], health["England"]) == (
        "z", "90%", "88%")
    assert health["RAG"] == "Amber"


def test_scorecard_trend_covers_last_8_quarters(judged: pd.DataFrame) -> None:
    card = scorecard.scorecard(judged, "2026-09-30").set_index("_indicator_id")
    trend = card.loc["cla_count", "_trend"]
    assert trend == [258.0, 260.0, 262.0, 268.0, 270.0, 275.0, 268.0, 280.0]
    assert card.loc["cla_count", "Trend (last 8 quarters)"] == "258 to 280"


def test_scorecard_html_is_accessible(judged: pd.DataFrame) -> None:
    out = html_tables.scorecard_html(scorecard.scorecard(judged, "2026-09-30"), "Scorecard")
    assert "<caption>Scorecard</caption>" in out
    assert out.count('<th scope="col"') == len(scorecard.SCORECARD_COLUMNS)
    assert '<th scope="row">Children in care</th>' in out
    assert ">Red</span>" in out  # RAG as a word, not colour alone
    assert out.count("<img") >= 5 and 'alt=""' not in out
    assert "c = suppressed" in out  # legend


def test_profile_table_with_previous_year(judged: pd.DataFrame) -> None:
    t = tables.profile_table(judged, "cla_by_age_band", "2026-09-30", "2025-09-30")
    assert t.columns.tolist() == ["Age", "Number (30 Sep 2026)", "% (30 Sep 2026)",
                                  "Number (30 Sep 2025)", "% (30 Sep 2025)"]
    assert t["Age"].tolist() == ["Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over",
                                 "Not known", "Total"]
    assert t.iloc[4].tolist() == ["16 and over", "77", "28%", "65", "24%"]
    assert t.iloc[-1].tolist() == ["Total", "280", "100%", "268", "100%"]


def test_distance_bands_by_quarter_like_the_seed(judged: pd.DataFrame) -> None:
    ends = ["2026-06-30", "2026-09-30"]
    t = tables.by_quarter_table(judged, "cla_by_distance_band", ends, share_of="0-20")
    assert t.columns.tolist() == ["Distance from home", "Jun 2026", "Sep 2026"]
    assert t.iloc[0].tolist() == ["0 to 20 miles", "218", "230"]
    assert t.iloc[-2].tolist() == ["% 0 to 20 miles", "81%", "82%"]
    assert t.iloc[-1].tolist() == ["Number of children in care", "268", "280"]


def test_public_mode_symbols(judged: pd.DataFrame) -> None:
    from cppanalytics.judgement.disclosure import suppress_results

    public = suppress_results(judged, "public")
    t = tables.profile_table(public, "cla_by_age_band", "2026-09-30")
    under1 = t.set_index("Age").loc["Under 1"]
    assert under1.tolist() == ["c", "c"]  # 3 children: suppressed, never shown
    html = html_tables.html_table(t, "Age")
    assert ">3<" not in html.split("Under 1")[1].split("</tr>")[0]
    row = public[(public.indicator_id == "cla_by_age_band") & (public.group == "under 1")].iloc[-1]
    assert tables.shown(row, "numerator") == "c"


def test_html_escapes_and_scopes() -> None:
    frame = pd.DataFrame({"Indicator": ["<b>x</b>"], "Value": ["1"]})
    out = html_tables.html_table(frame, "T & U")
    assert "&lt;b&gt;x&lt;/b&gt;" in out and "<caption>T &amp; U</caption>" in out
    assert '<td class="num">1</td>' in out


def test_data_quality_summary_counts_children_once() -> None:
    findings = pd.DataFrame({
        "severity": ["warning", "warning", "error"],
        "code": ["postcode_missing", "postcode_missing", "dec_before_decom"],
        "table": ["episodes"] * 3, "child": ["A", "A", "B"],
        "message": ["Postcode missing", "Postcode missing", "DEC before DECOM"],
        "fix": ["Add it", "Add it", "Correct the dates"], "action": ["loaded", "loaded", "set_aside"],
        "indicators": ["placed_within_20_miles", "cla_by_distance_band", ""]})
    s = tables.data_quality_summary(findings)
    assert s["Issue"].tolist() == ["DEC before DECOM", "Postcode missing"]  # errors first
    pm = s.set_index("Issue").loc["Postcode missing"]
    assert (pm["Findings"], pm["Children affected"]) == ("2", "1")
    assert pm["Indicators touched"] == ("Children in care by placement distance, Placed within "
                                        "20 miles of home")
    assert "CHILD" not in s.columns and "A" not in s.to_string().split()


def test_definitions_have_polarity_and_comparator_source(judged: pd.DataFrame) -> None:
    d = tables.definitions_table(["stability_3plus_placements", "local_x"], judged=judged)
    assert d.loc[0, "Polarity"] == "Lower is better"
    assert d.loc[0, "Comparators"].startswith("DfE published figures at 31 March 2026")
    assert d.loc[1, "Comparators"].startswith("Supplied by the council")


def test_window_kind_at_31_march_prefers_default() -> None:
    rows = pd.DataFrame({"indicator_id": ["stability_3plus_placements", "cla_started"],
                         "period_end": ["2026-03-31"] * 2, "window_start": ["2025-04-01"] * 2})
    assert tables.add_window_kind(rows)["window_kind"].tolist() == ["r12", "fytd"]
