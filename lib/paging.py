"""One page of a long list (Django's Paginator), with the GOV.UK pagination component's parameters.

    page = paginate(request, queryset, per_page=25, label="Pages of …")
    page.object_list                # this page's rows
    govukPagination(page.component) # in the template, when page.component is not None

A page number that is not a number, or past either end, shows the nearest real page (Paginator.get_page)
rather than an error: someone following an old link still sees the list.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.utils.translation import gettext


def _href(request, param, number):
    query = request.GET.copy()
    query[param] = str(number)
    return "?" + urlencode(sorted(query.items()))


def paginate(request, queryset, per_page=25, param="page", label="Pagination"):
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get(param))
    page.component = None
    if paginator.num_pages > 1:
        # The first and last pages, and one either side of this one; "…" for the rest.
        numbers = paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
        items = [{"ellipsis": True} if n == Paginator.ELLIPSIS else
                 {"number": n, "href": _href(request, param, n), "current": n == page.number,
                  "visuallyHiddenText": gettext("Page %(number)s") % {"number": n}} for n in numbers]
        page.component = {"landmarkLabel": label, "items": items}
        # J8: the macro's own words are English; these are the same words in the reader's language.
        if page.has_previous():
            page.component["previous"] = {"href": _href(request, param, page.previous_page_number()),
                                          "html": gettext('Previous<span class="govuk-visually-hidden"> page</span>')}
        if page.has_next():
            page.component["next"] = {"href": _href(request, param, page.next_page_number()),
                                      "html": gettext('Next<span class="govuk-visually-hidden"> page</span>')}
    return page
