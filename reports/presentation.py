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
    "duration": duration,
}
