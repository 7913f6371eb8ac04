"""Small-number suppression for reports that governors read (G4: numbers, never names).

Pure functions: no database. A table is a list of cells and a total. Each cell counts
incidents (or children) and also knows how many different children are behind it.

1. Primary: a cell of 1 to `k - 1` is shown as "fewer than k"; a larger cell about 1 to
   `k - 1` different children is "not shown". Zero is shown: it singles out nobody.
2. Secondary: the total is shown, so the suppressed cells' sum is known. While any
   suppressed cell could be worked out exactly from that sum and what the labels say
   about each cell ("fewer than 5" means 1 to 4; "not shown" means 5 or more), the next
   smallest shown cell is also hidden as "not shown". When none is left, the table shows
   no breakdown (the total stays: it is printed in other tables too).
3. A table whose total is below `k` shows no breakdown at all.

Tables are independent breakdowns of one total. A breakdown that is the sum of another's
cells (online-risk area is a grouping of kinds) would let a hidden cell be worked out
across tables, so the governor report and pack show the kinds only.
"""

from dataclasses import dataclass


@dataclass
class Cell:
    label: str
    value: int
    children: int = 0  # different children behind the value (0 when none are named)
    state: str = "shown"  # shown, small (fewer than k), hidden (secondary)

    @property
    def suppressed(self):
        return self.state != "shown"


@dataclass
class Table:
    title: str
    unit: str  # "incidents" or "children"
    cells: list
    total: Cell
    k: int
    note: str = ""
    whole_table_hidden: bool = False
    key: str = ""  # which measure (reports/packs.py KEYS)
    trust: "Table | None" = None  # the same measure across the trust, beside a suppressed breakdown (20.10)

    @property
    def any_suppressed(self):
        return self.whole_table_hidden or any(c.suppressed for c in self.cells)

    def display(self, cell):
        if cell.state == "small":
            return f"fewer than {self.k}"
        if cell.state == "hidden":
            return "not shown"
        return str(cell.value)


def is_small(cell, k):
    return 0 < cell.value < k or 0 < cell.children < k


def bounds(cell, k, total):
    """What a reader can tell about a cell's value from its label alone."""
    if cell.state == "small":
        return (1, k - 1)
    if cell.state == "hidden":
        return (k, total)
    return (cell.value, cell.value)


def worked_out(cells, k, total):
    """The suppressed cells whose value a reader could work out exactly from the total."""
    hidden = [c for c in cells if c.suppressed]
    if not hidden:
        return []
    remaining = total.value - sum(c.value for c in cells if not c.suppressed)
    limits = [bounds(c, k, total.value) for c in hidden]
    exposed = []
    for i, cell in enumerate(hidden):
        others_low = sum(lo for j, (lo, _) in enumerate(limits) if j != i)
        others_high = sum(hi for j, (_, hi) in enumerate(limits) if j != i)
        low, high = max(limits[i][0], remaining - others_high), min(limits[i][1], remaining - others_low)
        if low == high:
            exposed.append(cell)
    return exposed


def suppress(title, unit, cells, total, k, note=""):
    """Return a Table with primary and secondary suppression applied. `total` is a Cell too."""
    table = Table(title=title, unit=unit, cells=cells, total=total, k=k, note=note)
    if is_small(total, k):
        # Not even zeros are shown: they would say where the few incidents were.
        table.whole_table_hidden = True
        total.state = "small" if total.value < k else "hidden"
        for cell in cells:
            cell.state = "hidden"
        return table
    for cell in cells:
        if 0 < cell.value < k:
            cell.state = "small"
        elif 0 < cell.children < k:
            cell.state = "hidden"  # enough incidents, but about too few children to show
    while worked_out(cells, k, total):
        candidates = sorted((c for c in cells if not c.suppressed and c.value > 0), key=lambda c: c.value)
        if not candidates:
            # The total is printed elsewhere too, so it cannot be the thing hidden: show no breakdown.
            table.whole_table_hidden = True
            for cell in cells:
                cell.state = "hidden"
            break
        candidates[0].state = "hidden"
    return table

