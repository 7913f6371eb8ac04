"""Issue 8.3: cells that a spreadsheet would run as a formula are written as plain text (CSV injection)."""

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from lib.csvsafe import FORMULA_START, cell, csv_response


@given(st.one_of(st.text(), st.sampled_from(FORMULA_START).flatmap(lambda c: st.text().map(lambda t: c + t))))
def test_no_cell_starts_a_formula_and_nothing_is_lost(value):
    written = cell(value)
    assert not written.startswith(FORMULA_START)
    assert written == value or written == "'" + value


def test_a_download_neutralises_every_cell_and_reads_back():
    rows = [["=HYPERLINK(\"https://evil.example\",\"Open\")", "+44 20 7946 0000", "-1", "@SUM(A1)", "Zoë Ng"]]
    response = csv_response("x.csv", ["Name", "Phone", "N", "F", "Plain"], rows)
    text = response.content.decode("utf-8-sig")
    read = list(csv.reader(io.StringIO(text)))
    assert read[1] == ["'=HYPERLINK(\"https://evil.example\",\"Open\")", "'+44 20 7946 0000", "'-1", "'@SUM(A1)",
                       "Zoë Ng"]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
