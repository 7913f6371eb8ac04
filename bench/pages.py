"""The pages the bench measures, shared by bench/run.py and bench/queries.py (no Django import)."""

from urllib.parse import urlencode


# Words in many entries and concerns of the seeded trust, the last one a prefix. A search is posted and its results
# are at `?search=<key>` (lib/searches.py): the bench posts these once, as the DSL, and loads that address.
SEARCH_PATH, SEARCH_WORDS = "/cases/search/", "messages late nig"


def get_pages(f, search_results):
    """name -> path for the signed-in GET pages (f: bench/fixtures.py's answer; search_results: the address the
    DSL was sent to after posting SEARCH_WORDS)."""
    return {
        "DSL home": "/",
        "DSL dashboard": "/reports/",
        "DSL inbox": "/concerns/inbox/",
        f"case page ({f['case_entries']} entries)": f"/cases/{f['case']}/",
        "pupil record": f"/pupils/{f['pupil']}/",
        "chronology search": search_results,
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
