"""How a lower app uses something only a higher app can do, without importing it (docs/architecture.md).

Imports between Harbour's apps point one way, down the layers (tests/test_layers.py). When a lower app needs a
higher one's work (the concern page opens a case; a case's referral page lists the national services), the lower
app declares a `Hook` saying what it needs, and the higher app provides it in its AppConfig.ready()::

    # concerns/triage.py (lower)
    open_case = Hook("open a case from a concern")

    # cases/apps.py (higher)
    def ready(self):
        triage.open_case.provide(actions.open_case)

Calling a hook calls what was provided. A hook nobody provided fails loudly, naming what is missing.
"""

from django.core.exceptions import ImproperlyConfigured


class Hook:
    def __init__(self, what):
        self.what = what
        self._provided = None

    def provide(self, function):
        """Called once, from the providing app's ready(). Providing the same function again changes nothing."""
        if self._provided is not None and self._provided is not function:
            raise ImproperlyConfigured(f"Two apps provide '{self.what}'")
        self._provided = function
        return function

    @property
    def provided(self):
        return self._provided is not None

    def __call__(self, *args, **kwargs):
        if self._provided is None:
            raise ImproperlyConfigured(f"Nothing provides '{self.what}': is the app that does installed?")
        return self._provided(*args, **kwargs)

    def __repr__(self):
        return f"<Hook {self.what!r}{'' if self.provided else ' (not provided)'}>"
