"""Turning figures and suppressed tables into what the templates draw: chart rows and GOV.UK table rows."""

from reports.figures import duration


def chart_rows(rows):
    """Figures rows → bar chart rows: every number shown."""
    return [{"label": r.label, "value": r.value, "text": str(r.value), "bar": True} for r in rows]


def table_rows(rows):
    return [[{"text": r.label}, {"text": str(r.value), "format": "numeric"}] for r in rows]


def suppressed_chart_rows(table):
    """A suppressed table → chart rows: a suppressed cell gets its words and no bar."""
    return [{"label": c.label, "value": 0 if c.suppressed else c.value, "text": table.display(c),
             "bar": not c.suppressed} for c in table.cells]


def suppressed_table_rows(table):
    rows = [[{"text": c.label}, {"text": table.display(c), "format": "numeric"}] for c in table.cells]
    rows.append([{"text": "Total", "classes": "govuk-!-font-weight-bold"},
                 {"text": table.display(table.total), "format": "numeric", "classes": "govuk-!-font-weight-bold"}])
    return rows


def total_row(row):
    """(label, this term, this year) → a GOV.UK table row."""
    label, term, year = row
    return [{"text": label}, {"text": str(term), "format": "numeric"}, {"text": str(year), "format": "numeric"}]


def bar_rows(table, width=60):
    """A suppressed table → rows for the printed chart-table: the words, and a bar's width in mm (None for a
    suppressed cell, which gets no bar)."""
    largest = max([c.value for c in table.cells if not c.suppressed] + [1])
    return [{"label": c.label, "text": table.display(c),
             "bar": None if c.suppressed or not c.value else max(round(width * c.value / largest, 1), 0.8)}
            for c in table.cells]


def select_items(choices, chosen):
    return [{"value": key, "text": label, "selected": key == chosen} for key, label in choices]


def summary_rows(pairs):
    return [{"key": {"text": key}, "value": {"text": value}} for key, value in pairs]


HELPERS = {
    "select_items": select_items,
    "summary_rows": summary_rows,
    "chart_rows": chart_rows,
    "table_rows": table_rows,
    "suppressed_chart_rows": suppressed_chart_rows,
    "suppressed_table_rows": suppressed_table_rows,
    "bar_rows": bar_rows,
    "total_rows": lambda rows: [total_row(r) for r in rows],
    "duration": duration,
}
