"""Small-number suppression for the governor report (rule G4: governors see numbers, not names)."""

from hypothesis import given
from hypothesis import strategies as st

from reports.suppression import Cell, bounds, suppress, worked_out

K = 5


def table(values, children=None):
    children = children or values
    cells = [Cell(f"group {i}", v, c) for i, (v, c) in enumerate(zip(values, children, strict=True))]
    return suppress("t", "incidents", cells, Cell("Total", sum(values), sum(children)), K)


def shown(t):
    return [t.display(c) for c in t.cells]


def test_r_g4_a_small_cell_says_fewer_than_five_and_zero_is_shown():
    t = table([12, 7, 3, 0, 9])
    assert shown(t)[2] == "fewer than 5"
    assert shown(t)[3] == "0"
    assert t.display(t.total) == "31"


def test_r_g4_one_small_cell_cannot_be_worked_out_from_the_total():
    t = table([12, 7, 3, 0])  # 22 − 12 − 7 would give the 3 away
    assert shown(t) == ["12", "not shown", "fewer than 5", "0"]
    assert worked_out(t.cells, K, t.total) == []


def test_r_g4_two_fours_that_sum_to_eight_are_protected():
    t = table([4, 4, 20])
    # 28 − 20 = 8, and "fewer than 5" twice can only be 4 and 4: so the 20 is hidden too.
    assert shown(t) == ["fewer than 5", "fewer than 5", "not shown"]
    assert worked_out(t.cells, K, t.total) == []


def test_r_g4_a_table_with_a_small_total_shows_no_breakdown():
    t = table([3, 0, 1])
    assert t.whole_table_hidden
    assert t.display(t.total) == "fewer than 5"


def test_r_g4_many_incidents_about_few_children_are_not_shown():
    t = table([6, 9, 8], children=[2, 9, 8])  # six incidents, but about two children
    assert shown(t)[0] == "not shown"
    assert t.display(t.cells[1]) == "not shown" or t.display(t.cells[2]) == "not shown"


def test_when_nothing_else_can_be_hidden_the_breakdown_goes():
    t = table([4, 4])
    assert t.whole_table_hidden
    assert t.display(t.total) == "8"


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=12))
def test_r_g4_no_suppressed_cell_can_ever_be_worked_out_and_no_small_cell_is_shown(values):
    t = table(values)
    if t.whole_table_hidden:
        return
    for cell in t.cells:
        if not cell.suppressed:
            assert cell.value == 0 or cell.value >= K
    # Every suppressed cell keeps at least two possible values, given the total and the labels.
    hidden = [c for c in t.cells if c.suppressed]
    remaining = t.total.value - sum(c.value for c in t.cells if not c.suppressed)
    limits = [bounds(c, K, t.total.value) for c in hidden]
    for i, cell in enumerate(hidden):
        low = max(limits[i][0], remaining - sum(hi for j, (_, hi) in enumerate(limits) if j != i))
        high = min(limits[i][1], remaining - sum(lo for j, (lo, _) in enumerate(limits) if j != i))
        assert low < high, (values, cell)
        assert low <= cell.value <= high
