"""Triage: what those a concern is for do with it on its page (A1): acknowledge it, open a case from it, or add
it to a case already open. The page, its buttons and their views are the concern's (concerns/views.py).

Concerns sit below cases (docs/architecture.md) and never import them. What only cases can do, cases provides
from its AppConfig.ready() (cases/apps.py, cases/triage.py):

- `open_case(user=, concern=, procedure_id=)`: open a case from the concern and return it;
- `add_to_case(user=, concern=, case_id=)`: add the concern to that open case and return it;
- `cases_to_join(user, concern)`: [(case id, words)], the open cases the concern could be added to.

Each refuses with a ValidationError saying what to do instead, or with the 404 a stranger gets (H3). Cases tells
concerns what became of them through `concerns.actions` (`link_to_case`, `mark_closed`, `mark_reopened`), never by
writing a concern's fields itself.
"""

from lib.hooks import Hook

open_case = Hook("open a case from a concern")
add_to_case = Hook("add a concern to an open case")
cases_to_join = Hook("the open cases a concern could be added to")
