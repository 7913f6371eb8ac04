"""GOV.UK Frontend components written in Python where the macro call is what a page pays for (issue 24).

A govuk-frontend-jinja macro call costs about a hundred function calls before it writes a byte: it imports its
helpers afresh, builds a namespace for its attributes and runs its filters one by one. Harbour draws some of them
dozens of times a page (a tag on every row of the inbox). Here they are written once more in Python, for the call
shapes Harbour uses; anything else goes to the macro itself. The macro stays the source of truth:
harbour/tests/test_components.py renders both over every shape Harbour uses and many generated ones and requires
the same bytes, so an upgrade of govuk-frontend-jinja that changes the markup fails there first.

The environment (harbour/jinja2.py) serves these under the macros' own template names, so templates import
`govukTag` from "govuk_frontend_jinja/components/tag/macro.html" as before; the original templates stay reachable
under SOURCE for the fallback and the test.
"""

from jinja2 import pass_context
from markupsafe import Markup, escape

SOURCE = "govuk_frontend_jinja_source"  # the package's own templates, under a second prefix


def _indent(html, width=2):
    """`html | safe | trim | indent(width)`, as Jinja's filters give it (jinja2.filters.do_indent, first=False)."""
    lines = (Markup(html).strip() + Markup("\n")).splitlines()  # nosec B704 - the macro's `html | safe`: the caller's HTML, as the macro takes it
    rv = lines.pop(0)
    if lines:
        indention = " " * width
        rv += Markup("\n") + Markup("\n").join(indention + line if line else line for line in lines)
    return rv


def _macro(context, path, name):
    return getattr(context.environment.get_template(f"{SOURCE}/{path}").module, name)


_TAG_KEYS = frozenset({"text", "html", "classes"})


@pass_context
def govuk_tag(__context, params):
    """govukTag: `text` or `html`, and `classes`. With `attributes`, or no words at all, the macro draws it."""
    if type(params) is not dict or not params.keys() <= _TAG_KEYS or not __context.eval_ctx.autoescape:
        return _macro(__context, "components/tag/macro.html", "govukTag")(params)
    html = params.get("html")
    if html:
        if not isinstance(html, str):
            return _macro(__context, "components/tag/macro.html", "govukTag")(params)
        words = _indent(html)
    elif "text" in params:
        words = escape(params["text"])
    else:
        return _macro(__context, "components/tag/macro.html", "govukTag")(params)
    classes = params.get("classes")
    # str.join takes the escaped parts as they are (Markup's own + and % would escape each part once more).
    return Markup("".join(('\n<strong class="govuk-tag', " " if classes else "", escape(classes) if classes else "",  # nosec B704 - every part escaped above or a literal
                           '">\n  ', words, "\n</strong>\n")))


_DETAILS_KEYS = frozenset({"summaryText", "summaryHtml", "text", "html", "classes", "id", "open"})


@pass_context
def govuk_details(__context, params, caller=None):
    """govukDetails: a summary (text or HTML), its words (text or HTML), `classes`, `id` and `open`. With a caller
    (`{% call %}`), `attributes`, or a part left out, the macro draws it."""
    def macro():
        found = _macro(__context, "components/details/macro.html", "govukDetails")
        return found(params, caller=caller) if caller else found(params)

    if (caller is not None or type(params) is not dict or not params.keys() <= _DETAILS_KEYS
            or not __context.eval_ctx.autoescape):
        return macro()
    summary_html, html = params.get("summaryHtml"), params.get("html")
    if summary_html:
        if not isinstance(summary_html, str):
            return macro()
        summary = _indent(summary_html, 6)
    elif "summaryText" in params:
        summary = escape(params["summaryText"])
    else:
        return macro()
    if html:
        if not isinstance(html, str):
            return macro()
        words = Markup(html)  # nosec B704 - the macro's `html | safe`
    elif "text" in params:
        words = escape(params["text"])
    else:
        return macro()
    element_id, classes = params.get("id"), params.get("classes")
    return Markup("".join((  # nosec B704 - every part escaped above or a literal
        "\n<details", ' id="' if element_id else "", escape(element_id) if element_id else "",
        '"' if element_id else "", ' class="govuk-details', " " if classes else "", escape(classes) if classes else "",
        '"', " open" if params.get("open") else "",
        '>\n  <summary class="govuk-details__summary">\n    <span class="govuk-details__summary-text">\n      ',
        summary, '\n    </span>\n  </summary>\n  <div class="govuk-details__text">\n    ', words,
        "\n  </div>\n</details>\n")))


# govukServiceNavigation: the same few menus on every page. Its output is a pure function of its params, and the
# params are the menu (addresses, words, which item is active, the unread count) and one slot at the end (the
# school switcher and sign-out form, which carry the page's CSRF token and the person's name). The menu is drawn by
# the macro once per distinct menu, with a marker in the slot's place; each page puts its own slot in the marker's
# place. Nothing personal is kept: the slot is never part of what is remembered.
_NAV_SLOT = "\x00harbour-service-navigation-slot\x00"
_NAV_MEMO_MAX = 512
_nav_memo = {}
_PLAIN = frozenset({str, Markup, bool, int, type(None)})


def _plain(value):
    """Whether `value` is made of dicts, lists, strings, Markup, numbers, booleans and None only: then its repr()
    is a key that tells each such value apart (Markup's repr names it: it is not escaped again, a str is)."""
    kind = type(value)
    if kind is dict:
        value = value.values()
    elif kind is not list:
        return kind in _PLAIN
    for item in value:
        if not _plain(item):
            return False
    return True


@pass_context
def govuk_service_navigation(__context, params):
    """govukServiceNavigation, remembered per menu; the `navigationEnd` slot is the page's own."""
    def macro(params):
        return _macro(__context, "components/service-navigation/macro.html", "govukServiceNavigation")(params)

    slots = params.get("slots") if type(params) is dict else None
    if type(slots) is not dict or slots.keys() != {"navigationEnd"} or not __context.eval_ctx.autoescape:
        return macro(params)
    slot = slots["navigationEnd"]
    menu = {k: v for k, v in params.items() if k != "slots"}
    if not slot or not _plain(menu):
        return macro(params)
    key = repr(menu), type(slot) is Markup
    drawn = _nav_memo.get(key)
    if drawn is None:
        drawn = str(macro({**menu, "slots": {"navigationEnd": Markup(_NAV_SLOT) if key[1] else _NAV_SLOT}}))  # nosec B704 - a literal marker
        if drawn.count(_NAV_SLOT) != 1:  # the slot is not written exactly once: nothing to fill in
            return macro(params)
        if len(_nav_memo) < _NAV_MEMO_MAX:
            _nav_memo[key] = drawn
    return Markup(drawn.replace(_NAV_SLOT, str(slot)))  # nosec B704 - the macro's output, and the slot as the macro writes it (| safe)


# The page template draws its header (and footer) twice: `_govukTemplateHeader` asks its caller for the header
# once to see whether it has anything in it, then again to write it, so every page built the menu, the school
# switcher and the wordmark twice (about 1,500 function calls a page, issue 24). Served with the caller's words
# kept from the first time: the same bytes, drawn once (the caller is a pure function of the page being drawn).
# Each rewrite must find its text exactly as many times as it says, or the package's own template is served as it
# is: right, only slower (harbour/tests/test_components.py fails first).
_CALLER_ONCE = (
    ("{%- if caller() | trim | length > 0 %}",
     "{%- set _harbour_drawn = caller() %}{%- if _harbour_drawn | trim | length > 0 %}", 2),
    ("{{ caller() }}", "{{ _harbour_drawn }}", 2),
)
REWRITTEN = {"govuk_frontend_jinja/template.html": _CALLER_ONCE}


def rewritten_source(name, source):
    """The package's `source` of template `name`, with its rewrites made, or as it is if any of them is not found."""
    rewrites = REWRITTEN[name]
    if any(source.count(old) != times for old, _, times in rewrites):
        return source
    for old, new, _ in rewrites:
        source = source.replace(old, new)
    return source


# template name (as templates import it) → what it exports: {% from ... import govukTag %} finds it there.
PRECOMPILED = {
    "govuk_frontend_jinja/components/tag/macro.html": {"govukTag": "govuk_tag"},
    "govuk_frontend_jinja/components/details/macro.html": {"govukDetails": "govuk_details"},
    "govuk_frontend_jinja/components/service-navigation/macro.html": {
        "govukServiceNavigation": "govuk_service_navigation"},
}


def template_source(name):
    """The source of the stand-in template for `name`: it exports the Python component under the macro's name."""
    return "".join(f"{{% set {macro} = _harbour_components.{function} %}}"
                   for macro, function in PRECOMPILED[name].items())
