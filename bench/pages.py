"""The pages the bench measures, shared by bench/run.py and bench/queries.py (no Django import)."""

from urllib.parse import urlencode


def get_pages(f):
    """name -> path for the signed-in GET pages (f: bench/fixtures.py's answer)."""
    return {
        "DSL home": "/",
        "DSL dashboard": "/reports/",
        "DSL inbox": "/concerns/inbox/",
        f"case page ({f['case_entries']} entries)": f"/cases/{f['case']}/",
        "pupil record": f"/pupils/{f['pupil']}/",
        # Words in many entries and concerns of the seeded trust, the last one a prefix.
        "chronology search": "/cases/search/?q=messages+late+nig",
    }


def report_form(pupil_id, csrf):
    """A valid concern report (the report page's fields), without its idempotency key."""
    return {
        "csrfmiddlewaretoken": csrf, "incident_type": "cyberbullying",
        "account": "Benchmark concern: a pupil said unkind messages were posted about them in a group chat.",
        "dsl_told_in_person": "no", "child": str(pupil_id), f"role_{pupil_id}": "harmed",
    }


def report_body(pupil_id, csrf):
    """The urlencoded body, ending with `idempotency_key=` so that a fresh key can be appended."""
    return urlencode(report_form(pupil_id, csrf)) + "&idempotency_key="
