from django.test import RequestFactory

from lib.paging import paginate


def _numbers(current, pages):
    """The page numbers the component shows on page `current` of `pages` (None for "…"; [1] for one page)."""
    request = RequestFactory().get("/x", {"page": str(current)})
    component = paginate(request, _Items(pages * 10), per_page=10).component
    if component is None:
        return [1]
    return [item.get("number") for item in component["items"]]


def test_page_numbers_keep_the_first_the_last_and_the_neighbours():
    assert _numbers(1, 1) == [1]
    assert _numbers(1, 3) == [1, 2, 3]
    assert _numbers(5, 20) == [1, None, 4, 5, 6, None, 20]
    assert _numbers(20, 20) == [1, None, 19, 20]
    assert _numbers(2, 4) == [1, 2, 3, 4]


def test_links_keep_the_other_query_parameters():
    request = RequestFactory().get("/x", {"show": "closed", "page": "2"})
    page = paginate(request, _Items(60), per_page=25)
    assert list(page.object_list) == list(range(25, 50))
    assert page.component["previous"]["href"] == "?page=1&show=closed"
    assert page.component["next"]["href"] == "?page=3&show=closed"
    assert [i.get("current") for i in page.component["items"]] == [False, True, False]


def test_one_page_needs_no_pagination():
    page = paginate(RequestFactory().get("/x"), _Items(3), per_page=25)
    assert page.component is None and list(page.object_list) == [0, 1, 2]
    assert (page.start_index(), page.end_index()) == (1, 3)


def test_r_j8_the_pagination_words_are_in_the_readers_language():
    """The GOV.UK macro's own "Previous", "Next" and "Page 2" are English: a Welsh reader gets them in Welsh."""
    from django.template import engines
    from django.utils import translation

    request = RequestFactory().get("/x", {"page": "2"})
    template = engines["jinja2"].env.from_string(
        '{% from "govuk_frontend_jinja/components/pagination/macro.html" import govukPagination %}'
        "{{ govukPagination(page.component) }}")
    with translation.override("en-gb"):
        english = template.render(page=paginate(request, _Items(60), per_page=25))
    with translation.override("cy"):
        welsh = template.render(page=paginate(request, _Items(60), per_page=25))
    assert "Previous<span class=\"govuk-visually-hidden\"> page</span>" in english and 'aria-label="Page 3"' in english
    assert "Blaenorol<span class=\"govuk-visually-hidden\"> tudalen</span>" in welsh
    assert "Nesaf<span class=\"govuk-visually-hidden\"> tudalen</span>" in welsh and 'aria-label="Tudalen 3"' in welsh


class _Items(list):
    """A list that counts like a queryset."""

    def __init__(self, n):
        super().__init__(range(n))

    def count(self):
        return len(self)
