"""The case pages, one module per part of the work. Each view: access check → read the form → one action →
redirect.

- lists: the case list and the chronology search;
- page: the case page itself;
- answers: the criteria and factors, the classification and the initial review meeting (B1–B3, B7, B8);
- decisions: decisions, advice, decisions not to refer and their sign-off, referrals and the outcome
  (B2, B5, B6, B10);
- work: tasks and clocks, people, notes, closing and reopening.

A case is opened from a concern on the concern's page (concerns/views.py, concerns/triage.py).

Every read of a case writes a VIEW row to the audit trail (H2). What was posted is read with a form
(cases/forms.py); a refusal (an ActionError) re-shows the page with everything the person typed and the reason
beside the box it is about.
"""
