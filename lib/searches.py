"""A search that may hold a person's name never puts it in a web address.

A name in a URL reaches the server's access log, the browser's history and any proxy's log. So a search form is
posted; the words are kept in the person's session (on the server) under a random key, and the browser is sent
on to `?search=<key>` (post, redirect, get). The results page can then be reloaded, returned to with Back and
paged, and only the random key is ever in an address. The session keeps the last few searches and ends with
the session itself.

    if request.method == "POST":
        return searches.remember(request)  # the words posted as `q`; a redirect to ?search=<key>
    q = searches.recall(request)           # "" when there is none
"""

import secrets

from django import forms
from django.http import HttpResponseRedirect

SESSION_KEY = "harbour_searches"
KEEP = 20  # searches kept per session, oldest dropped first


class SearchForm(forms.Form):
    """The words of a search (`q`). Longer than a search needs, they are cut rather than refused: the box is
    on the page again with the results, and nothing is saved."""

    q = forms.CharField(required=False)


def remember(request, max_length: int = 100) -> HttpResponseRedirect:
    """Keep the words posted for this session and redirect to this page's results for them (or to the bare
    page)."""
    form = SearchForm(request.POST)
    words = (form.cleaned_data["q"] if form.is_valid() else "")[:max_length]
    if not words:
        return HttpResponseRedirect(request.path)
    kept = dict(request.session.get(SESSION_KEY, {}))
    key = secrets.token_urlsafe(12)
    kept[key] = words
    for old in list(kept)[:-KEEP]:
        del kept[old]
    request.session[SESSION_KEY] = kept
    return HttpResponseRedirect(f"{request.path}?search={key}")


def recall(request) -> str:
    """The words of the search named in this address, or "" (none, or from another session or an old one)."""
    return request.session.get(SESSION_KEY, {}).get(request.GET.get("search", ""), "")
