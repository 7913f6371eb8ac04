"""What every page pays to render (issue 24): the environment's remembered translations, addresses and CSRF field
give exactly what Django and Jinja give without them. Rule J8: the same in English and in Welsh."""

import re
from datetime import datetime, timezone as dt_timezone
from pathlib import Path

import pytest
from django.conf import settings
from django.middleware.csrf import get_token
from django.template import engines
from django.template.backends.utils import csrf_input
from django.test import RequestFactory, override_settings
from django.urls import get_resolver, reverse
from django.utils import translation
from jinja2.ext import _make_new_gettext

from harbour import jinja2 as harbour_jinja2
from lib.i18n import ENGLISH, WELSH

MESSAGES = ["Sign out", "Overdue", "Waiting %(minutes)s min", "A message with no translation", "100%% sure",
            "<b>%(name)s</b> & co"]


def render(source, **context):
    return engines["jinja2"].env.from_string(source).render(**context)


@pytest.mark.parametrize("page", [False, True], ids=["global", "per page"])
@pytest.mark.parametrize("language", [ENGLISH, WELSH])
@pytest.mark.parametrize("autoescape", [True, False])
def test_remembered_translations_are_jinjas_newstyle_gettext_bit_for_bit_J8(language, autoescape, page):
    stock = _make_new_gettext(translation.gettext)
    request = RequestFactory().get("/") if page else None  # with a request, the page's own gettext (per_page)
    with translation.override(language):
        for message in MESSAGES:
            variables = {"minutes": 5, "name": "<Sam>"} if "%(" in message else {}
            for _ in range(2):  # the first asks Django, the second is remembered
                ours = engines["jinja2"].from_string(
                    "{% autoescape " + str(autoescape).lower() + " %}{{ gettext(m, **v) }}|{{ _(m, **v) }}"
                    "{% endautoescape %}").render({"m": message, "v": variables}, request)
                theirs = engines["jinja2"].env.from_string(
                    "{% autoescape " + str(autoescape).lower() + " %}{{ stock(m, **v) }}|{{ stock(m, **v) }}"
                    "{% endautoescape %}").render(m=message, v=variables, stock=stock)
                assert ours == theirs, (language, message)
    with translation.override(WELSH):
        assert render("{{ _('Sign out') }}") == "Allgofnodi"
    with translation.override(ENGLISH):
        assert render("{{ _('Sign out') }}") == "Sign out"


def test_trans_blocks_use_the_remembered_translations_J8():
    block = "{% trans minutes=7 %}Waiting {{ minutes }} min{% endtrans %}"
    with translation.override(WELSH):
        assert render(block) == "Yn aros 7 mun"
        assert engines["jinja2"].from_string(block).render({}, RequestFactory().get("/")) == "Yn aros 7 mun"


def test_words_found_in_one_language_are_never_remembered_as_anothers_J8():
    harbour_jinja2.forget_translations()
    with translation.override(ENGLISH):
        gettext_for_page = harbour_jinja2.per_page(RequestFactory().get("/"))["gettext"]
        env = engines["jinja2"].env
        env.from_string("{{ g('Overdue') }}").render(g=gettext_for_page)  # the page's language: English
    with translation.override(WELSH):  # Django now answers in Welsh: what it says is not kept as English
        env.from_string("{{ g('Sign out') }}").render(g=gettext_for_page)
    assert (ENGLISH, "Sign out", True) not in harbour_jinja2._finished
    assert harbour_jinja2._finished[ENGLISH, "Overdue", True] == "Overdue"


def test_what_is_put_into_a_message_is_never_remembered():
    harbour_jinja2.forget_translations()
    render("{{ _('Case %(reference)s', reference=ref) }}", ref="CASE-SECRET-1")
    remembered = repr(harbour_jinja2._translated) + repr(harbour_jinja2._finished)
    assert "Case %(reference)s" in remembered and "CASE-SECRET-1" not in remembered


def test_a_change_of_catalogues_forgets_the_remembered_translations():
    render("{{ _('Sign out') }}")
    assert harbour_jinja2._finished
    with override_settings(LANGUAGES=settings.LANGUAGES):
        assert not harbour_jinja2._finished and not harbour_jinja2._translated


def test_templates_translate_only_words_written_in_code():
    """The remembered translations are words from code: a template never passes what someone typed to gettext."""
    # A label map's values are msgids from code too (the inbox's `labels`, built from the models' choices).
    allowed = re.compile(r"""^\s*(['"]|\w+(\.\w+)*\.get_\w+_display\(|labels\.\w+\.get\(|nation_names\[|steps\[)""")
    for path in Path(settings.BASE_DIR).glob("*/jinja2/**/*.html"):
        for argument in re.findall(r"(?<![\w.])(?:_|gettext)\(([^)]{0,80})", path.read_text()):
            assert allowed.match(argument), (path, argument)


def _sample(converter):
    name = type(converter).__name__
    return {"IntConverter": 7, "UUIDConverter": "0b5e62aa-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "SlugConverter": "a-slug",
            "PathConverter": "a/path"}.get(name, "word")


def _named_patterns(resolver, namespace=""):
    for name in resolver.reverse_dict:
        if isinstance(name, str):
            for possibilities, _pattern, _defaults, converters in resolver.reverse_dict.getlist(name):
                for _format, params in possibilities:
                    yield namespace + name, {p: _sample(converters.get(p)) for p in params}
    for ns, (_prefix, sub) in resolver.namespace_dict.items():
        yield from _named_patterns(sub, f"{namespace}{ns}:")


@pytest.mark.parametrize("url", ["global", "per page"])
def test_url_gives_what_reverse_gives_for_every_named_url(url):
    url = harbour_jinja2.url if url == "global" else harbour_jinja2.per_page(RequestFactory().get("/"))["url"]
    checked = 0
    for name, kwargs in _named_patterns(get_resolver()):
        args = tuple(kwargs.values())
        assert url(name, *args) == reverse(name, args=args), name
        assert url(name, *args) == reverse(name, args=args), name  # remembered
        assert url(name, **kwargs) == reverse(name, kwargs=kwargs), name
        checked += 1
    assert checked > 100


def test_a_page_under_a_script_prefix_links_under_it():
    from django.urls import set_script_prefix

    request = RequestFactory().get("/")
    page = engines["jinja2"].from_string("{{ url('home') }}|{{ url('cases:detail', 5) }}")
    set_script_prefix("/harbour/")
    try:
        assert page.render({}, request) == "/harbour/|/harbour/cases/5/"
    finally:
        set_script_prefix("/")
    assert page.render({}, request) == "/|/cases/5/"


def test_a_page_writes_one_csrf_field_for_all_its_forms_and_each_page_its_own_mask():
    request = RequestFactory().get("/")
    page = engines["jinja2"].from_string("{{ csrf_input }}|{{ csrf_input }}|{{ csrf_token }}")
    first, second, token = page.render({}, request).split("|")
    assert first == second == re.sub(r'value="\w+"', f'value="{token}"', csrf_input(request))  # Django's field
    assert page.render({}, request).split("|")[2] != token  # another page, another mask of the same secret
    assert len(token) == len(get_token(request)) == 64


@pytest.mark.parametrize("language, written", [(ENGLISH, "3 March 2026 at 9:05am"), (WELSH, "3 Mawrth 2026 am 9:05yb")])
def test_local_datetime_writes_uk_time_in_the_readers_language_J8(language, written):
    moment = datetime(2026, 3, 3, 9, 5, tzinfo=dt_timezone.utc)
    with translation.override(language):
        assert harbour_jinja2.local_datetime(moment) == written
        assert harbour_jinja2.local_datetime(moment, "%-I:%M%p") == ("9:05am" if language == ENGLISH else "9:05yb")
    assert harbour_jinja2.local_datetime(None) == ""
