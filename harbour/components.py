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


def _indent(html):
    """`html | safe | trim | indent(2)`, as Jinja's filters give it (jinja2.filters.do_indent, first=False)."""
    lines = (Markup(html).strip() + Markup("\n")).splitlines()
    rv = lines.pop(0)
    if lines:
        rv += Markup("\n") + Markup("\n").join("  " + line if line else line for line in lines)
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
    return Markup("".join(('\n<strong class="govuk-tag', " " if classes else "", escape(classes) if classes else "",
                           '">\n  ', words, "\n</strong>\n")))


# template name (as templates import it) → what it exports: {% from ... import govukTag %} finds it there.
PRECOMPILED = {
    "govuk_frontend_jinja/components/tag/macro.html": {"govukTag": "govuk_tag"},
}


def template_source(name):
    """The source of the stand-in template for `name`: it exports the Python component under the macro's name."""
    return "".join(f"{{% set {macro} = _harbour_components.{function} %}}"
                   for macro, function in PRECOMPILED[name].items())
