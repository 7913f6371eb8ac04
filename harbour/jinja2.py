"""The Jinja2 environment: Django's helpers plus the GOV.UK Frontend macros."""

from collections import ChainMap
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.autoreload import file_changed
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.translation import get_language, gettext, ngettext, npgettext, pgettext
from jinja2 import ChoiceLoader, DictLoader, Environment, PackageLoader, PrefixLoader, pass_eval_context
from markupsafe import Markup

from harbour import components
from lib.dates import uk_date, uk_words
from lib.i18n import WELSH, date_in_words, when_in_words
from lib.i18n import current as current_language
from lib.i18n import offers_welsh
from lib.errors import error_list, field_error


@lru_cache(maxsize=8192)
def _reverse(prefix, urlconf, name, args, kwargs):
    return reverse(name, urlconf=urlconf, args=args or None, kwargs=dict(kwargs) or None)


def url(name, *args, **kwargs):
    """reverse(), remembered: a page links to the same few dozen addresses on every request.

    The key holds everything reverse() depends on (the script prefix and the URLconf in use), so a
    remembered address is always the one reverse() would give now."""
    try:
        return _reverse(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, name, args,
                        tuple(sorted(kwargs.items())) if kwargs else ())
    except TypeError:  # an argument that cannot be a key (a list, say): ask reverse() directly
        return reverse(name, args=args or None, kwargs=kwargs or None)


# A static file's address is the same on every page: the storage's answer for its name under the script prefix
# (STATIC_URL is relative to it when it is relative). The manifest storage reads its manifest once per process, so
# this keeps only what it would give again; cleared when the settings it depends on change (below).
_static_urls = {}


def static_url(path):
    """`static()`, remembered (six on every page, ~60 function calls each for the same few addresses)."""
    key = (get_script_prefix(), path)
    try:
        return _static_urls[key]
    except KeyError:
        if len(_static_urls) >= 1000:
            return static(path)
        return _static_urls.setdefault(key, static(path))


# A message in a language is the same on every page until the catalogues change (cleared below when they do):
# (language, message, autoescape) → what `{{ _('Sign out') }}` gives. Templates only ask for words written in code
# (literals, choice labels, nations' names: tests/test_jinja_render.py keeps it so), never for what people typed;
# and what goes into a message's places (a name, a reference) is never kept. Bounded all the same.
_translated = {}
_finished = {}  # the same, with nothing put in its places
_TRANSLATED_MAX = 20000


@pass_eval_context
def template_gettext(__eval_ctx, __string, **variables):
    """Jinja's newstyle gettext (jinja2.ext._make_new_gettext), with each message's translation remembered.

    A case page asks for about 140 messages and Django looks each up through its catalogues and their fallbacks
    every time; the answer only changes with the active language or the catalogues. Same result, bit for bit: the
    translation, Markup when autoescaping, always formatted with `%` (so "%%" gives "%", as Jinja's does).

    It is given the evaluation context (all it reads is whether the output is autoescaped), not the template's: Jinja
    gives a function that asks for the template's context, when called in a loop or after a `{% set %}` block, a
    fresh copy of every variable the page has (Context.derived, ~35 function calls a call)."""
    return _words(get_language(), __eval_ctx.autoescape, __string, variables)


def _page_gettext():
    """template_gettext for one page, which asks for the active language once (per_page)."""
    language = []

    @pass_eval_context
    def page_gettext(__eval_ctx, __string, **variables):
        if not language:
            language.append(get_language())
        return _words(language[0], __eval_ctx.autoescape, __string, variables)

    return page_gettext


# Jinja's newstyle ngettext, pgettext and npgettext (jinja2.ext._make_new_*gettext) for Django's functions, given
# the evaluation context rather than the page's, as template_gettext is: the same words, bit for bit (Django's
# functions take no context, so Jinja's `__context.call(func, ...)` is `func(...)`), without a copy of the page's
# variables for each call in a loop (a `{% trans count=... %}` in each row of the inbox, say).
@pass_eval_context
def template_ngettext(__eval_ctx, __singular, __plural, __num, **variables):
    variables.setdefault("num", __num)
    rv = ngettext(__singular, __plural, __num)
    return (Markup(rv) if __eval_ctx.autoescape else rv) % variables  # nosec B704 - as Jinja's newstyle ngettext


@pass_eval_context
def template_pgettext(__eval_ctx, __string_ctx, __string, **variables):
    variables.setdefault("context", __string_ctx)
    rv = pgettext(__string_ctx, __string)
    return (Markup(rv) if __eval_ctx.autoescape else rv) % variables  # nosec B704 - as Jinja's newstyle pgettext


@pass_eval_context
def template_npgettext(__eval_ctx, __string_ctx, __singular, __plural, __num, **variables):
    variables.setdefault("context", __string_ctx)
    variables.setdefault("num", __num)
    rv = npgettext(__string_ctx, __singular, __plural, __num)
    return (Markup(rv) if __eval_ctx.autoescape else rv) % variables  # nosec B704 - as Jinja's newstyle npgettext


def _words(language, autoescape, message, variables):
    if type(message) is not str:  # a lazy string, say: as Jinja does it
        rv = gettext(message)
        return (Markup(rv) if autoescape else rv) % variables  # nosec B704 - as Jinja's newstyle gettext: the translation, its variables escaped by %
    key = (language, message, autoescape)
    if not variables:  # nothing to put in: the finished words are a constant too
        try:
            return _finished[key]
        except KeyError:
            return _remember(_finished, key, _translation(key) % variables)
    return _translation(key) % variables


def _translation(key):
    try:
        return _translated[key]
    except KeyError:
        language, message, autoescape = key
        rv = gettext(message)
        return _remember(_translated, key, Markup(rv) if autoescape else rv)  # nosec B704 - as Jinja's newstyle gettext: a translation from the catalogue


def _remember(memo, key, value):
    if len(memo) < _TRANSLATED_MAX and key[0] == get_language():  # found in the language of the key, and no other
        memo[key] = value
    return value


def forget_translations(**kwargs):
    _translated.clear()
    _finished.clear()


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES", "STATICFILES_DIRS", "INSTALLED_APPS", "DEBUG"}:
        _static_urls.clear()
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}:  # Django resets its catalogues
        forget_translations()


@receiver(file_changed)
def _catalogue_changed(*, file_path, **kwargs):
    if file_path.suffix == ".mo":  # runserver reloads a compiled catalogue without restarting (Django's reloader)
        forget_translations()


def per_page(request):
    """A context processor: what a page (one render for one request) works out once and uses many times.

    - `csrf_input`, `csrf_token`: a page's forms share one CSRF field, made when the first form asks for it. Django's
      Jinja2 backend gives a lazy string that masks the token afresh wherever it is written (about 500 function
      calls each: five on a case page); the Django template language makes one per page, and so does this. Each page
      still gets its own mask (BREACH); the field's markup is Django's own.
    - `url`: `url()` with the script prefix and URLconf looked up once for the page rather than on each of its
      ~90 addresses; `gettext` and `_` (and {% trans %}) with the active language looked up once. Macros imported
      without the page's context use the globals, which give the same."""
    token = SimpleLazyObject(lambda: get_token(request))
    page_gettext = _page_gettext()
    return {"csrf_token": token, "csrf_input": SimpleLazyObject(lambda: format_html(_CSRF_FIELD, str(token))),
            "url": _page_url(), "gettext": page_gettext, "_": page_gettext}


def _page_url():
    where = []  # (script prefix, URLconf), on the page's first address

    def url(name, *args, **kwargs):
        if not where:
            where.append((get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF))
        try:
            return _reverse(*where[0], name, args, tuple(sorted(kwargs.items())) if kwargs else ())
        except TypeError:  # an argument that cannot be a key (a list, say): ask reverse() directly
            return reverse(name, args=args or None, kwargs=kwargs or None)

    return url


# django.template.backends.utils.csrf_input's field (harbour/tests/test_jinja_render.py holds them the same).
_CSRF_FIELD = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'


_WHEN = "%-d %B %Y at %-I:%M%p"


def local_datetime(value, fmt=_WHEN):
    """Format an aware datetime in UK time the way people write it: 3 March 2026 at 9:05am (in Welsh, J8: 3 Mawrth
    2026 am 9:05yb).

    Harbour never activates another time zone, so this converts to settings.TIME_ZONE directly
    (timezone.localtime() would look the active zone up through a context-local on every call)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        raise ValueError("local_datetime() needs an aware datetime")  # as timezone.localtime() does
    welsh = current_language() == WELSH
    if welsh and fmt == _WHEN:
        return when_in_words(value, WELSH)
    written = value.astimezone(ZoneInfo(settings.TIME_ZONE)).strftime(fmt)
    if welsh:  # J8: 2:30yp, as Welsh public bodies write a time
        return written.replace("AM", "yb").replace("PM", "yp")
    return written.replace("AM", "am").replace("PM", "pm")


def local_date(value):
    """`uk_date` in the reader's language (J8): 6 December 2026, or 6 Rhagfyr 2026."""
    if value is None or value == "" or current_language() != WELSH:
        return uk_date(value)
    return date_in_words(value, WELSH)


def as_item(pair, selected=None):
    """[value, label] → a GOV.UK select item."""
    return {"value": pair[0], "text": pair[1], "selected": str(pair[0]) == str(selected)}


def as_radio(pair, checked=None):
    """[value, label] → a GOV.UK radios item."""
    return {"value": pair[0], "text": pair[1], "checked": str(pair[0]) == str(checked)}


def route_item(route_id, routes, checked=None):
    """A route id → a GOV.UK radios item with its words from `routes`."""
    return {"value": route_id, "text": routes[route_id], "checked": route_id == checked}


def agency_item(agency, checked=None):
    """An agency from cases/agencies.toml → a GOV.UK radios item."""
    return {"value": agency["id"], "text": agency["label"], "checked": agency["id"] == checked}


class _Globals(ChainMap):
    """A template's globals (the environment's, under its own), as Jinja keeps them, with a quick `keys()`.

    On every `{% from ... import %}` Jinja takes the importing template's global names minus the imported one's
    (`Template._get_default_module`), and the GOV.UK macros import their helpers on each call: about a hundred times
    on a case page. A ChainMap's keys view tests each name in Python; a dict's keys view does it in C. Same names,
    same answer (issue 24: about 4% of the case page)."""

    def keys(self):
        names = {}
        for mapping in reversed(self.maps):
            names.update(mapping)
        return names.keys()


class HarbourEnvironment(Environment):
    def make_globals(self, d):
        return _Globals({} if d is None else d, self.globals)


def environment(**options):
    options.setdefault("autoescape", True)
    # J8: {% trans %} blocks and _() with Django's catalogues; newstyle gettext escapes what is put into a
    # translated sentence and never lets a translation be assembled from fragments.
    options["extensions"] = [*options.get("extensions", ()), "jinja2.ext.i18n"]
    app_loader = options.pop("loader", None)
    env = HarbourEnvironment(**options)  # nosec B701 - autoescape is set to True just above (setdefault)
    env.install_gettext_callables(gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext)
    # `gettext()`, `_()` and {% trans %} blocks: Jinja's newstyle gettext, with translations remembered (above).
    env.globals.update(gettext=template_gettext, _=template_gettext)
    env.globals.update(ngettext=template_ngettext, pgettext=template_pgettext, npgettext=template_npgettext)
    env.policies["ext.i18n.trimmed"] = True  # a {% trans %} block's line breaks and indents are not in its msgid
    package = PackageLoader("govuk_frontend_jinja", "templates")
    govuk = PrefixLoader({"govuk_frontend_jinja": package, components.SOURCE: package})
    # The hottest GOV.UK macros, precompiled (harbour/components.py), under the names templates import them by.
    precompiled = DictLoader({
        **{name: components.template_source(name) for name in components.PRECOMPILED},
        **{name: components.rewritten_source(name, package.get_source(env, name.split("/", 1)[1])[0])
           for name in components.REWRITTEN},
    })
    env.loader = ChoiceLoader([loader for loader in (precompiled, app_loader, govuk) if loader])
    env.globals["_harbour_components"] = components
    from accounts.capabilities import ROLE_LABELS
    from communications.schema import offered_for
    from accounts.mfa import demo_signing_code
    from accounts.pickers import label as picker_label
    from procedures.rules import rules_for
    from procedures.schema import sources_in_words
    from schools import nations

    env.globals.update(
        static=static_url,
        url=url,
        get_messages=get_messages,
        field_error=field_error,
        error_list=error_list,
        # J8: a role's label at a school follows its nation (the safeguarding lead and deputy); without a school,
        # England's.
        role_label=lambda r, school=None: nations.role_label(r, school, ROLE_LABELS.get(r, r)),
        nation_words=nations.words,  # J8: the words for the safeguarding lead at a school, as whole sentences
        lead_words=nations.words_or_neutral,  # ...or, with no school to go by (None), words right in every nation
        messages_offered=lambda procedure_id: bool(offered_for(procedure_id)),  # the case page's messages (E2)
        rules_for=rules_for,
        sources_in_words=sources_in_words,  # J7: where each element of a procedure comes from, in words
        demo_signing_code=demo_signing_code,
        picker_label=picker_label,
        offers_welsh=offers_welsh,  # J8: a school in Wales offers the language switch
        current_language=current_language,
    )
    env.filters.update(local_datetime=local_datetime, as_item=as_item, as_radio=as_radio, route_item=route_item,
                       agency_item=agency_item, uk_date=local_date, uk_words=uk_words)
    return env
