from django.test import RequestFactory

from lib.paging import _numbers, paginate


def test_page_numbers_keep_the_first_the_last_and_the_neighbours():
    assert _numbers(1, 1) == [1]
    assert _numbers(1, 3) == [1, 2, 3]
    assert _numbers(5, 20) == [1, None, 4, 5, 6, None, 20]
    assert _numbers(20, 20) == [1, None, 19, 20]
    assert _numbers(2, 4) == [1, 2, 3, 4]


def test_links_keep_the_other_query_parameters():
    request = RequestFactory().get("/x", {"show": "closed", "page": "2"})
    page = paginate(request, list(range(60)) and _Items(60), per_page=25)
    assert page.items == list(range(25, 50))
    assert page.component["previous"]["href"] == "?page=1&show=closed"
    assert page.component["next"]["href"] == "?page=3&show=closed"
    assert [i.get("current") for i in page.component["items"]] == [False, True, False]


def test_one_page_needs_no_pagination():
    page = paginate(RequestFactory().get("/x"), _Items(3), per_page=25)
    assert page.component is None and page.items == [0, 1, 2] and (page.first_shown, page.last_shown) == (1, 3)


class _Items(list):
    """A list that counts like a queryset."""

    def __init__(self, n):
        super().__init__(range(n))

    def count(self):
        return len(self)
