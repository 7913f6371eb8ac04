"""One page of a long list, and the GOV.UK pagination component's parameters for it.

    page = paginate(request, queryset, per_page=25)
    page.items                      # this page's rows (a list)
    govukPagination(page.component) # in the template, when page.component is not None

A page number that is not a number, or past the end, shows the nearest real page rather
than an error: someone following an old link still sees the list.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode


@dataclass
class Page:
    items: list
    number: int
    pages: int
    total: int
    per_page: int
    component: dict | None = field(default=None)

    @property
    def first_shown(self):
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def last_shown(self):
        return self.first_shown + len(self.items) - 1 if self.items else 0


def _href(request, param, number):
    query = request.GET.copy()
    query[param] = str(number)
    return "?" + urlencode(sorted(query.items()))


def _numbers(current, pages):
    """1 … 4 5 6 … 20: the first, the last, and the pages either side of the current one."""
    wanted = sorted({1, pages, current - 1, current, current + 1} & set(range(1, pages + 1)))
    shown, previous = [], 0
    for n in wanted:
        if n - previous > 1:
            shown.append(None)
        shown.append(n)
        previous = n
    return shown


def paginate(request, queryset, per_page=25, param="page", label="Pagination"):
    total = queryset.count()
    pages = max(1, -(-total // per_page))
    raw = request.GET.get(param, "1")
    number = int(raw) if raw.isdigit() else 1
    number = min(max(number, 1), pages)
    start = (number - 1) * per_page
    items = list(queryset[start:start + per_page])
    component = None
    if pages > 1:
        component = {"landmarkLabel": label, "items": [{"ellipsis": True} if n is None else
                               {"number": n, "href": _href(request, param, n), "current": n == number}
                               for n in _numbers(number, pages)]}
        if number > 1:
            component["previous"] = {"href": _href(request, param, number - 1)}
        if number < pages:
            component["next"] = {"href": _href(request, param, number + 1)}
    return Page(items=items, number=number, pages=pages, total=total, per_page=per_page, component=component)
