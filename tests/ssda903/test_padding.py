"""Values padded with white space load exactly as unpadded ones (the strip is skipped only
when no value in the file is padded)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cppanalytics.ssda903 import load

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n101,1,01/02/2010,WBRI,UN1,,\n"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
ROW = "101,01/05/2023,S,C2,N1,U1,PR1,,,,MK5 7FP,MK1 1BJ,SC000001\n"


@pytest.mark.parametrize(
    "padded",
    [
        " 101,01/05/2023,S,C2,N1,U1,PR1,,,,MK5 7FP,MK1 1BJ,SC000001\n",
        "101 ,01/05/2023,S,C2,N1,U1,PR1,,,,MK5 7FP,MK1 1BJ,SC000001\n",
        "101,01/05/2023,S,C2,N1,U1,PR1,,,,MK5 7FP , MK1 1BJ,SC000001\n",
        '101,01/05/2023,S,C2,N1,"U1 ",PR1,,,,MK5 7FP,MK1 1BJ,SC000001\n',
        "101,01/05/2023,S,C2,N1,U1,PR1,,,,MK5 7FP,MK1 1BJ,SC000001\t\n",
        "101,01/05/2023,S,C2,N1,U1,PR1,,,,MK5 7FP,MK1 1BJ,SC000001\xa0\n",
    ],
)
def test_padded_values_load_as_unpadded(tmp_path: Path, padded: str) -> None:
    tables = {}
    for name, row in (("clean", ROW), ("padded", padded)):
        folder = tmp_path / name / "2023-24"
        folder.mkdir(parents=True)
        (folder / "header.csv").write_text(HEADER)
        (folder / "episodes.csv").write_text(EPISODES + row)
        ds = load(folder.parent, today="2026-11-01")
        tables[name] = ds.episodes.drop(columns=["source_file"])
    pd.testing.assert_frame_equal(tables["clean"], tables["padded"])
    assert tables["clean"]["PLACE"].tolist() == ["U1"]
