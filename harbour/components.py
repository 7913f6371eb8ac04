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
from markupsafe import Markup, escape, soft_str

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


def _text(params, key):
    """`{{ params.key }}` as the macros write it: escaped; a missing key writes nothing (None writes "None")."""
    return escape(params[key]) if key in params else Markup("")


def _is_text(value, keys):
    """Whether `value` is a dict of only `keys`, the shape the Python components below draw."""
    return type(value) is dict and value.keys() <= keys


def _attributes(attributes):
    """govukAttributes (macros/attributes.html) for None or a dict of plain values (strings, numbers, booleans):
    ` name="value"` each, escaped, after the white space its loop writes. None for anything else (a value with
    options, a string of HTML)."""
    if attributes is None:
        return ""
    if type(attributes) is not dict:
        return None
    parts = ["\n    ", "\n        \n      \n    " * len(attributes), "\n  "]  # the macro's loop writes these
    for name, value in attributes.items():
        kind = type(value)
        if kind is bool:
            value = "true" if value else "false"
        elif kind not in (str, Markup, int) or type(name) is not str:
            return None
        parts += [" ", escape(name), '="', escape(value), '"']
    return "".join(parts)


_HINT_KEYS = frozenset({"text"})
_ERROR_KEYS = frozenset({"text"})
_LEGEND_KEYS = frozenset({"text", "classes"})


def _hint(element_id, classes, words):
    """govukHint with an id, classes and text, `| trim` (components/hint/macro.html)."""
    return Markup("".join(('<div id="', escape(element_id), '" class="govuk-hint', " " if classes else "",  # nosec B704 - escaped parts and literals
                           escape(classes) if classes else "", '">\n  ', words, "\n</div>")))


def _error_message(element_id, words):
    """govukErrorMessage with an id and text, `| trim` (components/error-message/macro.html)."""
    return Markup("".join(('<p id="', escape(element_id), '" class="govuk-error-message">\n  \n  '  # nosec B704 - escaped parts and literals
                           '<span class="govuk-visually-hidden">Error:</span> ', words, "\n  \n</p>")))


def _label(classes, for_id, words):
    """govukLabel with classes, `for` and text, not a page heading, `| trim` (components/label/macro.html)."""
    return Markup("".join(('<label class="govuk-label', " " if classes else "", escape(classes) if classes else "",  # nosec B704 - escaped parts and literals
                           '"', ' for="' if for_id else "", escape(for_id) if for_id else "", '"' if for_id else "",
                           ">\n  ", words, "\n</label>")))


def _fieldset(described_by, legend, html):
    """govukFieldset with aria-describedby, a text legend with classes, and its HTML, `| trim`
    (components/fieldset/macro.html)."""
    parts = ['<fieldset class="govuk-fieldset"']
    if described_by:
        parts += [' aria-describedby="', escape(described_by), '"']
    parts.append(">\n  ")
    if legend.get("text"):
        classes = legend.get("classes")
        parts += ['\n  <legend class="govuk-fieldset__legend', " " if classes else "",
                  escape(classes) if classes else "", '">\n  \n    ', escape(legend["text"]), "\n  \n  </legend>\n  "]
    parts.append("\n")
    if html:
        parts += ["\n  ", html, "\n"]
    parts.append("\n</fieldset>")
    return Markup("".join(parts))  # nosec B704 - escaped parts, literals and the caller's HTML (Markup)


_CHECKBOXES_KEYS = frozenset({"name", "idPrefix", "classes", "fieldset", "hint", "errorMessage", "items"})
_CHECKBOX_KEYS = frozenset({"value", "text", "checked", "hint"})


def _checkboxes_drawn_here(params):
    """Whether govuk_checkboxes draws `params` itself: the shapes Harbour passes, and nothing else."""
    if not params.keys() <= _CHECKBOXES_KEYS or type(params.get("name")) is not str:
        return False
    if params.get("idPrefix") and type(params["idPrefix"]) is not str:
        return False
    fieldset, hint, error = params.get("fieldset"), params.get("hint"), params.get("errorMessage")
    if fieldset and not (_is_text(fieldset, {"legend"}) and _is_text(fieldset.get("legend"), _LEGEND_KEYS)):
        return False
    if hint and not _is_text(hint, _HINT_KEYS) or error and not _is_text(error, _ERROR_KEYS):
        return False
    items = params.get("items")
    if type(items) is not list:
        return False
    for item in items:
        if item and not (_is_text(item, _CHECKBOX_KEYS) and item.get("text")):
            return False
        if item and item.get("hint") and not _is_text(item["hint"], _HINT_KEYS):
            return False
    return True


@pass_context
def govuk_checkboxes(__context, params):
    """govukCheckboxes: a name and id prefix, classes, a fieldset with a text legend, a hint and an error message in
    text, and items with a value, text, `checked` and a hint in text. Anything else the macro draws."""
    if type(params) is not dict or not __context.eval_ctx.autoescape or not _checkboxes_drawn_here(params):
        return _macro(__context, "components/checkboxes/macro.html", "govukCheckboxes")(params)
    name = params["name"]
    id_prefix = params.get("idPrefix") or name
    fieldset, hint, error = params.get("fieldset"), params.get("hint"), params.get("errorMessage")
    described_by = ""
    inner = ["\n"]
    if hint:
        described_by = id_prefix + "-hint"
        inner += ["\n  \n  \n  ", _indent(_hint(id_prefix + "-hint", None, _text(hint, "text")), 2), "\n"]
    inner.append("\n")
    if error:
        described_by = f"{described_by} {id_prefix}-error" if described_by else id_prefix + "-error"
        inner += ["\n  \n  \n  ", _indent(_error_message(id_prefix + "-error", _text(error, "text")), 2), "\n"]
    classes = params.get("classes")
    inner += ['\n  <div class="govuk-checkboxes', " " if classes else "", escape(classes) if classes else "",
              '" data-module="govuk-checkboxes">\n    \n    ']
    item_described_by = "" if fieldset else described_by
    for index, item in enumerate(params["items"], 1):
        inner.append("\n      ")
        if item:
            item_id = id_prefix + (f"-{index}" if index > 1 else "")
            item_hint = item.get("hint")
            has_hint = bool(item_hint and item_hint.get("text"))
            aria = (item_described_by + " " + (item_id + "-item-hint" if has_hint else "")).strip()
            label = _label("govuk-checkboxes__label", item_id, escape(item["text"]))
            inner += ["\n  \n  ", "\n    " * 6, '<div class="govuk-checkboxes__item">\n      ',
                      '<input class="govuk-checkboxes__input" id="', escape(item_id), '" name="', escape(name),
                      '" type="checkbox" value="', _text(item, "value"), '"', " checked" if item.get("checked") else "",
                      ' aria-describedby="' if aria else "", escape(aria) if aria else "", '"' if aria else "",
                      ">\n      ", _indent(label, 6), "\n      "]
            if has_hint:
                inner += ["\n      ", _indent(_hint(item_id + "-item-hint", "govuk-checkboxes__hint",
                                                    _text(item_hint, "text")), 6), "\n      "]
            inner.append("\n    </div>\n    \n  \n")
        inner.append("\n    ")
    inner.append("\n    \n  </div>\n")
    inner = Markup("".join(inner)).strip()  # nosec B704 - escaped parts and literals, as above
    if fieldset:
        drawn = _indent(_fieldset(described_by, fieldset["legend"], inner), 2)
    else:
        drawn = inner
    return Markup("".join(("\n" * 8, '<div class="govuk-form-group', " govuk-form-group--error" if error else "",  # nosec B704 - as above
                           '">\n\n  ', drawn, "\n\n</div>\n")))


_TEXTAREA_KEYS = frozenset({"id", "name", "rows", "value", "classes", "label", "hint", "errorMessage", "spellcheck",
                            "autocomplete", "disabled", "attributes"})


def _textarea_drawn_here(params, keys=_TEXTAREA_KEYS):
    """Whether govuk_textarea (or govuk_input, with its `keys`) draws `params` itself: the shapes Harbour passes, and
    nothing else."""
    element_id = params.get("id") or params.get("name")
    hint, error = params.get("hint"), params.get("errorMessage")
    return (params.keys() <= keys and type(element_id) is str and element_id != ""
            and _attributes(params.get("attributes")) is not None
            and _is_text(params.get("label"), _LEGEND_KEYS)
            and (not hint or _is_text(hint, _HINT_KEYS)) and (not error or _is_text(error, _ERROR_KEYS)))


def _label_hint_error(parts, element_id, params):
    """The label, hint and error message of a textarea or input, as their macros place them; their describedBy."""
    label = params["label"]
    words = label.get("text")
    parts += ["\n  ", _indent(_label(label.get("classes"), element_id, escape(words)), 2) if words else "", "\n"]
    hint, error, described_by = params.get("hint"), params.get("errorMessage"), ""
    if hint:
        described_by = element_id + "-hint"
        parts += ["\n  \n  \n  ", _indent(_hint(described_by, None, _text(hint, "text")), 2), "\n"]
    parts.append("\n")
    if error:
        described_by = f"{described_by} {element_id}-error" if described_by else element_id + "-error"
        parts += ["\n  \n  \n  ", _indent(_error_message(element_id + "-error", _text(error, "text")), 2), "\n"]
    return described_by


@pass_context
def govuk_textarea(__context, params):
    """govukTextarea: id and name, rows, value, classes, a text label with classes, a hint and error message in text,
    spellcheck, autocomplete, disabled and plain attributes. With a page-heading label, or anything else, the macro
    draws it."""
    if type(params) is not dict or not __context.eval_ctx.autoescape or not _textarea_drawn_here(params):
        return _macro(__context, "components/textarea/macro.html", "govukTextarea")(params)
    element_id, error, classes = params.get("id") or params["name"], params.get("errorMessage"), params.get("classes")
    parts = ["\n\n\n\n", '<div class="govuk-form-group', " govuk-form-group--error" if error else "", '">']
    described_by = _label_hint_error(parts, element_id, params)
    spellcheck, autocomplete = params.get("spellcheck"), params.get("autocomplete")
    parts += ['\n\n  <textarea class="govuk-textarea', " govuk-textarea--error" if error else "",
              " " if classes else "", escape(classes) if classes else "", '" id="', escape(element_id),
              '" name="', _text(params, "name"), '" rows="', escape(params.get("rows") or 5), '"',
              ' spellcheck="' + str(spellcheck).lower() + '"' if spellcheck is True or spellcheck is False else "",
              " disabled" if params.get("disabled") else "",
              ' aria-describedby="' if described_by else "", escape(described_by) if described_by else "",
              '"' if described_by else "", ' autocomplete="' if autocomplete else "",
              escape(autocomplete) if autocomplete else "", '"' if autocomplete else "",
              _attributes(params.get("attributes")), ">", _text(params, "value"), "</textarea>\n\n</div>\n"]
    return Markup("".join(parts))  # nosec B704 - escaped parts and literals


_BUTTON_KEYS = frozenset({"text", "html", "classes", "href", "type", "name", "value", "disabled", "preventDoubleClick",
                          "id", "attributes"})


def _button_drawn_here(params):
    """Whether govuk_button draws `params` itself: the shapes Harbour passes, and nothing else."""
    classes, html = params.get("classes"), params.get("html")
    return (params.keys() <= _BUTTON_KEYS and (not classes or type(classes) is str)
            and (not html or isinstance(html, str)) and _attributes(params.get("attributes")) is not None)


@pass_context
def govuk_button(__context, params):
    """govukButton: a button or a link, its words in text or HTML, classes, type, name, value, disabled,
    preventDoubleClick, id and plain attributes. A start button, or anything else, the macro draws."""
    if type(params) is not dict or not __context.eval_ctx.autoescape or not _button_drawn_here(params):
        return _macro(__context, "components/button/macro.html", "govukButton")(params)
    classes, html, href, element_id = params.get("classes"), params.get("html"), params.get("href"), params.get("id")
    common = [' class="govuk-button', " " if classes else "", escape(classes) if classes else "",
              '" data-module="govuk-button"', _attributes(params.get("attributes")),
              ' id="' if element_id else "", escape(element_id) if element_id else "", '"' if element_id else ""]
    parts = ["\n", "\n  \n" if classes else ""]
    if href:
        parts += ['\n<a href="', escape(href), '" role="button" draggable="false"', *common]
    else:
        kind, value, name = params.get("type"), params.get("value"), params.get("name")
        parts += ['\n<button type="', escape(kind) if kind else "submit", '"',
                  ' value="' if value else "", escape(value) if value else "", '"' if value else "",
                  ' name="' if name else "", escape(name) if name else "", '"' if name else "",
                  ' disabled aria-disabled="true"' if params.get("disabled") else ""]
        if "preventDoubleClick" in params:  # `!= undefined`: given at all, even as None
            parts += [' data-prevent-double-click="', escape(soft_str(params["preventDoubleClick"]).lower()), '"']
        parts += common
    parts += [">\n  ", _indent(html, 2) if html else _text(params, "text"), "\n</a>\n" if href else "\n</button>\n"]
    return Markup("".join(parts))  # nosec B704 - escaped parts, literals and the caller's HTML (`| safe`)


_PAGINATION_KEYS = frozenset({"landmarkLabel", "items", "previous", "next", "classes"})
_PAGE_KEYS = frozenset({"number", "href", "current", "visuallyHiddenText", "ellipsis"})
_ARROW_KEYS = frozenset({"href", "html", "text"})
_ARROWS = {  # the macro's arrowPrevious and arrowNext, `| indent(4, true)`
    "prev": ('    <svg class="govuk-pagination__icon govuk-pagination__icon--prev"'
             ' xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false"'
             ' viewBox="0 0 15 13">\n        <path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449'
             '-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z"></path>\n      </svg>'),
    "next": ('    <svg class="govuk-pagination__icon govuk-pagination__icon--next"'
             ' xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false"'
             ' viewBox="0 0 15 13">\n        <path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896'
             'l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z"></path>\n      </svg>'),
}
_ARROW_WORDS = {"prev": '\n        Previous<span class="govuk-visually-hidden"> page</span>\n      ',
                "next": '\n        Next<span class="govuk-visually-hidden"> page</span>\n      '}


def _pagination_drawn_here(params):
    """Whether govuk_pagination draws `params` itself: lib/paging.py's shape (numbered pages, previous and next
    links), and nothing else."""
    if not params.keys() <= _PAGINATION_KEYS or type(params.get("items")) is not list:
        return False
    for link in (params.get("previous"), params.get("next")):
        if link and not (_is_text(link, _ARROW_KEYS) and (not link.get("html") or isinstance(link["html"], str))):
            return False
    return all(item is None or _is_text(item, _PAGE_KEYS) for item in params["items"])


def _arrow_link(link, kind):
    """The macro's _arrowLink for a page that has numbered items (not block level)."""
    html, text = link.get("html"), link.get("text")
    words = Markup(_indent(html, 8) if html else escape(text) if text else _ARROW_WORDS[kind]).strip()  # nosec B704 - the macro's `caller() | safe | trim`
    arrow = _ARROWS[kind]
    return "".join(("\n  \n  <div class=\"govuk-pagination__", kind,
                    '">\n    <a class="govuk-link govuk-pagination__link" href="', _text(link, "href"), '" rel="', kind,
                    '">\n      ', arrow if kind == "prev" else "", "\n      " if kind == "prev" else "",
                    '\n      <span class="govuk-pagination__link-title">\n        ', words,
                    "\n      </span>\n      \n      ", arrow if kind == "next" else "",
                    "\n      " if kind == "next" else "", "\n    </a>\n  </div>\n"))


@pass_context
def govuk_pagination(__context, params):
    """govukPagination with numbered pages (some of them "…"), a landmark label, classes, and previous and next
    links in text or HTML. Block-level pagination (no numbers), attributes, or anything else, the macro draws."""
    if type(params) is not dict or not __context.eval_ctx.autoescape or not _pagination_drawn_here(params):
        return _macro(__context, "components/pagination/macro.html", "govukPagination")(params)
    classes, previous, following = params.get("classes"), params.get("previous"), params.get("next")
    parts = ['\n<nav class="govuk-pagination', " " if classes else "", escape(classes) if classes else "",
             '" aria-label="', escape(params.get("landmarkLabel") or "Pagination"), '">\n  \n  ']
    if previous and previous.get("href"):
        parts += ["\n    ", _arrow_link(previous, "prev")]
    parts.append('\n  <ul class="govuk-pagination__list">\n  ')
    for item in params["items"]:
        parts.append("\n    ")
        if item:
            current, ellipsis = item.get("current"), item.get("ellipsis")
            page = ['<li class="govuk-pagination__item', " govuk-pagination__item--current" if current else "",
                    " govuk-pagination__item--ellipsis" if ellipsis else "", '">\n  ']
            if ellipsis:
                page.append("\n    &ctdot;\n  ")
            else:
                label = (escape(item["visuallyHiddenText"]) if "visuallyHiddenText" in item
                         else escape("Page " + soft_str(item.get("number", ""))))
                page += ['\n    <a class="govuk-link govuk-pagination__link" href="', _text(item, "href"),
                         '" aria-label="', label, '"', ' aria-current="page"' if current else "", ">\n      ",
                         _text(item, "number"), "\n    </a>\n  "]
            page.append("\n  </li>")
            parts += ["\n      ", _indent("".join(page), 2), "\n    "]
        parts.append("\n  ")
    parts.append("\n  </ul>\n  ")
    if following and following.get("href"):
        parts += ["\n    ", _arrow_link(following, "next"), "\n  "]
    parts.append("\n</nav>\n")
    return Markup("".join(parts))  # nosec B704 - escaped parts, literals and the caller's HTML (`| safe`)


_SUMMARY_LIST_KEYS = frozenset({"rows", "classes", "attributes"})
_ROW_KEYS = frozenset({"key", "value", "actions", "classes"})
_KEY_KEYS = frozenset({"text", "html", "classes"})
_ACTION_KEYS = frozenset({"href", "text", "visuallyHiddenText", "classes"})


def _summary_list_drawn_here(params):
    """Whether govuk_summary_list draws `params` itself: the shapes Harbour passes, and nothing else."""
    if not params.keys() <= _SUMMARY_LIST_KEYS or type(params.get("rows")) not in (list, tuple):
        return False
    if _attributes(params.get("attributes")) is None:
        return False
    for row in params["rows"]:
        if not row:
            continue
        if type(row) is not dict or not row.keys() <= _ROW_KEYS:
            return False
        for part in (row.get("key"), row.get("value")):
            if not _is_text(part, _KEY_KEYS) or part.get("html") and not isinstance(part["html"], str):
                return False
        actions = row.get("actions")
        if actions is not None:
            if not _is_text(actions, {"items", "classes"}) or type(actions.get("items")) is not list:
                return False
            if len(actions["items"]) > 1 or not all(_is_text(item, _ACTION_KEYS) for item in actions["items"]):
                return False
    return True


def _key_or_value(part):
    """`row.key.html | safe | trim | indent(6) if row.key.html else row.key.text`."""
    html = part.get("html")
    return _indent(html, 6) if html else _text(part, "text")


@pass_context
def govuk_summary_list(__context, params):
    """govukSummaryList: rows of a key and a value (text or HTML, with classes), row classes, and at most one action
    a row (a link with text and hidden words); list classes and plain attributes. A card, or rows with several
    actions, the macro draws."""
    if type(params) is not dict or not __context.eval_ctx.autoescape or not _summary_list_drawn_here(params):
        return _macro(__context, "components/summary-list/macro.html", "govukSummaryList")(params)
    rows, classes = params["rows"], params.get("classes")
    with_actions = [bool(row and row.get("actions") and row["actions"]["items"]) for row in rows]
    parts = ["\n\n", "\n  \n" * len(rows), '<dl class="govuk-summary-list', " " if classes else "",
             escape(classes) if classes else "", '"', _attributes(params.get("attributes")), ">\n"]
    for row, actions in zip(rows, with_actions):
        parts.append("\n  ")
        if row:
            key, value, row_classes = row["key"], row["value"], row.get("classes")
            parts += ['\n  <div class="govuk-summary-list__row',
                      " govuk-summary-list__row--no-actions" if any(with_actions) and not actions else "",
                      " " if row_classes else "", escape(row_classes) if row_classes else "",
                      '">\n    <dt class="govuk-summary-list__key', " " if key.get("classes") else "",
                      escape(key["classes"]) if key.get("classes") else "", '">\n      ', _key_or_value(key),
                      '\n    </dt>\n    <dd class="govuk-summary-list__value', " " if value.get("classes") else "",
                      escape(value["classes"]) if value.get("classes") else "", '">\n      ', _key_or_value(value),
                      "\n    </dd>\n    "]
            if actions:
                action, action_classes = row["actions"]["items"][0], row["actions"].get("classes")
                hidden = action.get("visuallyHiddenText")
                link = Markup("".join((  # nosec B704 - escaped parts and literals
                    '<a class="govuk-link', " " if action.get("classes") else "",
                    escape(action["classes"]) if action.get("classes") else "", '" href="', _text(action, "href"),
                    '">', _text(action, "text"), '<span class="govuk-visually-hidden"> ' if hidden else "",
                    escape(hidden) if hidden else "", "</span>" if hidden else "", "</a>")))
                parts += ['\n    <dd class="govuk-summary-list__actions', " " if action_classes else "",
                          escape(action_classes) if action_classes else "", '">\n      ', "      ",
                          _indent(link, 6), "\n      \n    </dd>\n    "]
            parts.append("\n  </div>\n  ")
        parts.append("\n")
    parts.append("\n</dl>\n")
    return Markup("".join(parts))  # nosec B704 - escaped parts, literals and the caller's HTML (`| safe`)


_INPUT_KEYS = frozenset({"id", "name", "type", "classes", "label", "hint", "errorMessage", "value", "spellcheck",
                         "autocomplete", "autocapitalize", "pattern", "inputmode", "disabled", "attributes"})
_INPUT_OPTIONAL = ("value", "disabled", "aria-describedby", "autocomplete", "autocapitalize", "pattern", "inputmode")
_PLAIN_VALUE = frozenset({str, Markup, int, bool, type(None)})


def _input_drawn_here(params):
    """Whether govuk_input draws `params` itself: the shapes Harbour passes, and nothing else."""
    classes = params.get("classes")
    return (_textarea_drawn_here(params, _INPUT_KEYS) and (not classes or type(classes) is str)
            and all(type(params.get(key)) in _PLAIN_VALUE
                    for key in ("type", "value", "spellcheck", "disabled", "autocomplete", "autocapitalize",
                                "pattern", "inputmode")))


def _input_attributes(params, element_id, described_by, error):
    """`govukAttributes({...})` of the macro's _inputElement: class, id, name and type always; spellcheck, value,
    disabled, aria-describedby, autocomplete, autocapitalize, pattern and inputmode when given (`optional`)."""
    classes = params.get("classes")
    class_names = "govuk-input" + (" " + classes if classes else "") + (" govuk-input--error" if error else "")
    written = [("class", class_names), ("id", element_id), ("name", params.get("name", "")),
               ("type", params.get("type") or "text")]
    spellcheck = params.get("spellcheck")
    options = {"spellcheck": str(spellcheck).lower() if spellcheck in (True, False) else False,
               "aria-describedby": described_by or None}
    space = ["\n    ", "\n        \n      \n    " * 4]
    for name in ("spellcheck", *_INPUT_OPTIONAL):
        value = options[name] if name in options else params.get(name)
        if value is None or value is False:
            space.append("\n    ")
        elif value is True:
            space.append("\n        \n    ")
            written.append((name, None))
        else:
            space.append("\n        \n      \n    ")
            written.append((name, value))
    space.append("\n  ")
    for index in range(4):  # `value | string | lower if value is boolean`, for those always written
        if type(written[index][1]) is bool:
            written[index] = written[index][0], str(written[index][1]).lower()
    for name, value in written:
        space += [" ", name] if value is None else [" ", name, '="', escape(value), '"']
    return "".join(space)


@pass_context
def govuk_input(__context, params):
    """govukInput: id and name, type, classes, value, a text label with classes, a hint and error message in text,
    spellcheck, autocomplete, autocapitalize, pattern, inputmode, disabled and plain attributes. A prefix or suffix,
    a page-heading label, or anything else, the macro draws."""
    if type(params) is not dict or not __context.eval_ctx.autoescape or not _input_drawn_here(params):
        return _macro(__context, "components/input/macro.html", "govukInput")(params)
    element_id, error, classes = params.get("id") or params["name"], params.get("errorMessage"), params.get("classes")
    parts = ["\n\n\n\n", "\n  \n" if classes else "", "\n  \n" if error else "",
             '<div class="govuk-form-group', " govuk-form-group--error" if error else "", '">']
    described_by = _label_hint_error(parts, element_id, params)
    parts += ["\n  <input", _input_attributes(params, element_id, described_by, error),
              _attributes(params.get("attributes")), ">\n\n</div>\n"]
    return Markup("".join(parts))  # nosec B704 - escaped parts and literals


_TABLE_KEYS = frozenset({"caption", "captionClasses", "firstCellIsHeader", "head", "rows", "classes"})
_CELL_KEYS = frozenset({"text", "html", "format", "classes", "colspan", "rowspan"})


def _cells_drawn_here(cells):
    return type(cells) in (list, tuple) and all(type(cell) is dict and cell.keys() <= _CELL_KEYS for cell in cells)


def _cell(parts, cell):
    """A cell's colspan, rowspan, `>`, and its words: `cell.html | safe if cell.html else cell.text`."""
    colspan, rowspan, html = cell.get("colspan"), cell.get("rowspan"), cell.get("html")
    if colspan:
        parts += [' colspan="', escape(colspan), '"']
    if rowspan:
        parts += [' rowspan="', escape(rowspan), '"']
    parts += [">", Markup(html) if html else _text(cell, "text")]  # nosec B704 - the macro's `html | safe`


def _table_drawn_here(params):
    """Whether govuk_table draws `params` itself: the shapes Harbour passes, and nothing else."""
    if not params.keys() <= _TABLE_KEYS or type(params.get("rows")) not in (list, tuple):
        return False
    head = params.get("head")
    return (not head or _cells_drawn_here(head)) and all(not row or _cells_drawn_here(row) for row in params["rows"])


@pass_context
def govuk_table(__context, params):
    """govukTable: a caption with classes, a head and rows of cells with text or HTML, format, classes, colspan and
    rowspan, the first cell a header or not. With `attributes` anywhere, or rows that are not lists, the macro draws
    it."""
    if type(params) is not dict or not __context.eval_ctx.autoescape or not _table_drawn_here(params):
        return _macro(__context, "components/table/macro.html", "govukTable")(params)
    classes, caption, head = params.get("classes"), params.get("caption"), params.get("head")
    parts = ['\n<table class="govuk-table', " " if classes else "", escape(classes) if classes else "", '">\n']
    if caption:
        caption_classes = params.get("captionClasses")
        parts += ['\n  <caption class="govuk-table__caption', " " if caption_classes else "",
                  escape(caption_classes) if caption_classes else "", '">', escape(caption), "</caption>\n"]
    parts.append("\n")
    if head:
        parts.append('\n  <thead class="govuk-table__head">\n    <tr class="govuk-table__row">\n    ')
        for item in head:
            form, classes = item.get("format"), item.get("classes")
            parts += ['\n      <th scope="col" class="govuk-table__header',
                      " govuk-table__header--" if form else "", escape(form) if form else "",
                      " " if classes else "", escape(classes) if classes else "", '"']
            _cell(parts, item)
            parts.append("</th>\n    ")
        parts.append("\n    </tr>\n  </thead>\n")
    parts.append('\n  <tbody class="govuk-table__body">\n')
    header_first = params.get("firstCellIsHeader")
    for row in params["rows"]:
        parts.append("\n  ")
        if row:
            parts.append('\n    <tr class="govuk-table__row">\n    ')
            for index, cell in enumerate(row):
                classes = cell.get("classes")
                if index == 0 and header_first:
                    parts += ['\n      \n      \n      <th scope="row" class="govuk-table__header',
                              " " if classes else "", escape(classes) if classes else "", '"']
                    _cell(parts, cell)
                    parts.append("</th>\n      \n    ")
                else:
                    form = cell.get("format")
                    parts += ['\n      \n      \n      <td class="govuk-table__cell',
                              " govuk-table__cell--" if form else "", escape(form) if form else "",
                              " " if classes else "", escape(classes) if classes else "", '"']
                    _cell(parts, cell)
                    parts.append("</td>\n      \n    ")
            parts.append("\n    </tr>\n  ")
        parts.append("\n")
    parts.append("\n  </tbody>\n</table>\n")
    return Markup("".join(parts))  # nosec B704 - escaped parts, literals and the caller's HTML (`| safe`)


def _safe(html):
    """`html | safe`: the caller's HTML, as the macro takes it."""
    return Markup(html)  # nosec B704 - the macro's `| safe`: HTML the caller built, escaped where it was built


_LINK_KEYS = frozenset({"href", "text", "html", "classes", "attributes"})


def _link_drawn_here(params, keys=_LINK_KEYS):
    html = params.get("html")
    return (params.keys() <= keys and (not html or isinstance(html, str))
            and _attributes(params.get("attributes")) is not None)


@pass_context
def govuk_skip_link(__context, params):
    """govukSkipLink: href, text or HTML, classes and plain attributes; anything else the macro draws."""
    if type(params) is not dict or not __context.eval_ctx.autoescape or not _link_drawn_here(params):
        return _macro(__context, "components/skip-link/macro.html", "govukSkipLink")(params)
    classes, html = params.get("classes"), params.get("html")
    return Markup("".join((  # nosec B704 - escaped parts, literals and the caller's HTML (`| safe`)
        '\n<a href="', escape(params.get("href") or "#content"), '" class="govuk-skip-link', " " if classes else "",
        escape(classes) if classes else "", '"', _attributes(params.get("attributes")),
        ' data-module="govuk-skip-link">', _safe(html) if html else _text(params, "text"), "</a>\n")))


@pass_context
def govuk_back_link(__context, params):
    """govukBackLink: href, text or HTML, classes and plain attributes; anything else the macro draws."""
    if type(params) is not dict or not __context.eval_ctx.autoescape or not _link_drawn_here(params):
        return _macro(__context, "components/back-link/macro.html", "govukBackLink")(params)
    classes, html = params.get("classes"), params.get("html")
    return Markup("".join((  # nosec B704 - escaped parts, literals and the caller's HTML (`| safe`)
        '\n<a href="', escape(params.get("href") or "#"), '" class="govuk-back-link', " " if classes else "",
        escape(classes) if classes else "", '"', _attributes(params.get("attributes")), ">",
        _safe(html) if html else escape(params.get("text") or "Back"), "</a>\n")))


_HEADER_KEYS = frozenset({"_namespace", "classes", "attributes", "containerClasses", "url", "logoHtml", "logoText"})


def _header_drawn_here(params):
    logo_html = params.get("logoHtml")
    return (params.keys() <= _HEADER_KEYS and (not logo_html or isinstance(logo_html, str))
            and _attributes(params.get("attributes")) is not None)


@pass_context
def govuk_generic_header(__context, params):
    """govukGenericHeader: namespace, classes, plain attributes, container classes, address, and the logo in HTML or
    text; anything else the macro draws."""
    if type(params) is not dict or not __context.eval_ctx.autoescape or not _header_drawn_here(params):
        return _macro(__context, "components/generic-header/macro.html", "govukGenericHeader")(params)
    logo_html = params.get("logoHtml")
    namespace = escape(params.get("_namespace", "govuk-generic"))
    classes = params.get("classes")
    return Markup("".join((  # nosec B704 - escaped parts, literals and the caller's HTML (`| safe`)
        '\n\n\n\n<div class="', namespace, "-header", " " if classes else "", escape(classes) if classes else "", '"',
        _attributes(params.get("attributes")), '>\n  <div class="', namespace, '-header__container ',
        escape(params.get("containerClasses") or "govuk-width-container"), '">\n    <div class="', namespace,
        '-header__logo">\n      <a href="', escape(params.get("url") or "/"), '" class="', namespace,
        '-header__homepage-link">\n        ', _safe(logo_html) if logo_html else _text(params, "logoText"),
        "\n      </a>\n    </div>\n  </div>\n</div>\n")))


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
# ...and its five `govukAttributes(xAttributes)` calls, which Harbour never gives attributes to (a macro call each,
# ~170 function calls a page, to write nothing), are only made when the page sets them.
_ATTRIBUTES_WHEN_SET = tuple(
    (f"govukAttributes({name}Attributes)",
     f'(govukAttributes({name}Attributes) if {name}Attributes is defined else "")', 1)
    for name in ("body", "header", "container", "main", "footer"))
REWRITTEN = {"govuk_frontend_jinja/template.html": _CALLER_ONCE + _ATTRIBUTES_WHEN_SET}


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
    "govuk_frontend_jinja/components/checkboxes/macro.html": {"govukCheckboxes": "govuk_checkboxes"},
    "govuk_frontend_jinja/components/table/macro.html": {"govukTable": "govuk_table"},
    "govuk_frontend_jinja/components/textarea/macro.html": {"govukTextarea": "govuk_textarea"},
    "govuk_frontend_jinja/components/input/macro.html": {"govukInput": "govuk_input"},
    "govuk_frontend_jinja/components/summary-list/macro.html": {"govukSummaryList": "govuk_summary_list"},
    "govuk_frontend_jinja/components/button/macro.html": {"govukButton": "govuk_button"},
    "govuk_frontend_jinja/components/pagination/macro.html": {"govukPagination": "govuk_pagination"},
    "govuk_frontend_jinja/components/skip-link/macro.html": {"govukSkipLink": "govuk_skip_link"},
    "govuk_frontend_jinja/components/back-link/macro.html": {"govukBackLink": "govuk_back_link"},
    "govuk_frontend_jinja/components/generic-header/macro.html": {"govukGenericHeader": "govuk_generic_header"},
    "govuk_frontend_jinja/components/service-navigation/macro.html": {
        "govukServiceNavigation": "govuk_service_navigation"},
}


def template_source(name):
    """The source of the stand-in template for `name`: it exports the Python component under the macro's name."""
    return "".join(f"{{% set {macro} = _harbour_components.{function} %}}"
                   for macro, function in PRECOMPILED[name].items())
