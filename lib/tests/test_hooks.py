"""lib.hooks: a lower app asks, a higher app provides (docs/architecture.md). Nothing provided, or two providers,
fails loudly; and every hook Harbour declares is provided once the apps are ready."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from lib.hooks import Hook


def test_a_hook_calls_what_was_provided():
    hook = Hook("double a number")
    hook.provide(lambda n: 2 * n)
    assert hook(21) == 42


def test_a_hook_nobody_provided_says_what_is_missing():
    with pytest.raises(ImproperlyConfigured, match="Nothing provides 'double a number'"):
        Hook("double a number")(21)


def test_two_providers_are_refused_and_the_same_one_twice_is_not():
    hook = Hook("double a number")

    def double(n):
        return 2 * n

    hook.provide(double)
    hook.provide(double)  # an app's ready() run twice
    with pytest.raises(ImproperlyConfigured, match="Two apps provide"):
        hook.provide(lambda n: n + n)


def test_every_hook_harbour_declares_is_provided():
    from cases import agencies
    from concerns import triage

    hooks = [triage.open_case, triage.add_to_case, triage.cases_to_join, agencies.services_for]
    assert [h for h in hooks if not h.provided] == []
