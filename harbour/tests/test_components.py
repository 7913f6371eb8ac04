"""GOV.UK components precompiled in Python (harbour/components.py) give the macro's own bytes (issue 24).

The macro in govuk-frontend-jinja stays the source of truth: each shape Harbour uses, and many generated ones, is
rendered by the package's macro and by the precompiled component through the same environment, and must match
byte for byte. An upgrade of govuk-frontend-jinja that changes the markup fails here."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.urls import reverse
from hypothesis import given, settings as hypothesis_settings, strategies as st
from markupsafe import Markup

from harbour import components
from tests.people import sign_in

TAG = "components/tag/macro.html"


def env():
    return engines["jinja2"].env


def both(path, macro, params):
    """(the package's macro, the precompiled component) for `params`, each rendered as a template writes it."""
    call = "{% from \"" + "{prefix}/" + path + "\" import " + macro + " %}{{ " + macro + "(params) }}"
    source = env().from_string(call.replace("{prefix}", components.SOURCE)).render(params=params)
    precompiled = env().from_string(call.replace("{prefix}", "govuk_frontend_jinja")).render(params=params)
    return source, precompiled


def test_templates_importing_govuk_tag_get_the_precompiled_component():
    module = env().get_template(f"govuk_frontend_jinja/{TAG}").module
    assert module.govukTag is components.govuk_tag
    assert "Macro" in type(env().get_template(f"{components.SOURCE}/{TAG}").module.govukTag).__name__


# The shapes Harbour's templates pass (grep govukTag), plus the edges of each key.
TAG_SHAPES = [
    {"text": "Due", "classes": "govuk-tag--red"},
    {"text": Markup("Hwyr"), "classes": "govuk-tag--red harbour-urgent"},
    {"text": Markup("Waiting 5 min"), "classes": "govuk-tag--red"},
    {"text": "3 overdue", "classes": "govuk-tag--orange"},
    {"text": 3, "classes": "govuk-tag--green"},
    {"text": "Pupil <script>alert(1)</script> & \"friends\"", "classes": "a\"b<c>"},
    {"text": "No classes"},
    {"text": "Empty classes", "classes": ""},
    {"text": "None classes", "classes": None},
    {"text": None},
    {"text": ""},
    {"html": "<b>Bold</b>"},
    {"html": Markup("  <b>Two</b>\n  lines\n\n  and a gap  \n"), "classes": "govuk-tag--blue"},
    {"html": "", "text": "Falls back to text"},
    {"html": None, "text": "Falls back to text"},
    {"html": "<i>html wins</i>", "text": "ignored"},
    # Drawn by the macro itself (the fallback): attributes, no words, or something that is not a dict.
    {"text": "With attributes", "attributes": {"id": "tag-1", "data-x": True}},
    {"classes": "govuk-tag--grey"},
    {},
]


def test_govuk_tag_is_byte_identical_to_the_macro_for_every_shape_harbour_uses():
    for params in TAG_SHAPES:
        source, precompiled = both(TAG, "govukTag", params)
        assert precompiled == source, params


words = st.one_of(st.text(), st.text().map(Markup), st.integers(), st.none(), st.sampled_from(["", " ", "\n"]))
html = st.one_of(st.none(), st.just(""), st.text(alphabet=" \n\t\r\x0b\u2028<>&\"'ab"), st.text().map(Markup))
classes = st.one_of(st.none(), st.just(""), st.text(),
                    st.sampled_from(["govuk-tag--red", "govuk-tag--red harbour-urgent"]))


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.fixed_dictionaries({}, optional={"text": words, "html": html, "classes": classes}))
def test_govuk_tag_is_byte_identical_to_the_macro_for_generated_params(params):
    source, precompiled = both(TAG, "govukTag", params)
    assert precompiled == source


def test_every_govuk_tag_call_in_harbour_passes_keys_the_precompiled_component_draws():
    """A shape that falls back to the macro is still right, but slow: keep Harbour's calls on the quick path."""
    calls = []
    for path in Path(settings.BASE_DIR).glob("*/jinja2/**/*.html"):
        calls += re.findall(r"govukTag\(\{(.*?)\}\)", path.read_text(), flags=re.S)
    assert len(calls) > 40
    for call in calls:
        while re.search(r"\{[^{}]*\}", call):  # the keys of the tag's own dict, not of a dict inside it
            call = re.sub(r"\{[^{}]*\}", "", call)
        keys = set(re.findall(r"(?:^|,)\s*'(\w+)':", call))
        assert keys and keys <= {"text", "html", "classes"}, call


DETAILS = "components/details/macro.html"
DETAILS_SHAPES = [
    {"summaryText": "Why is this asked?", "html": Markup('<p class="govuk-body">Because.</p>'),
     "classes": "harbour-why"},
    {"summaryText": Markup("Sut mae hyn yn wahanol"), "classes": "govuk-!-margin-top-2",
     "html": "<ul><li>a</li></ul>"},
    {"summaryText": "Earlier cases", "html": "<p>x</p>", "open": True},
    {"summaryText": "Closed", "text": "Plain <words> & more", "open": False, "id": "details-1"},
    {"summaryHtml": Markup("  <b>Summary</b>\n  on two lines \n"), "html": "<p>y</p>"},
    {"summaryText": "Empty words", "html": "", "text": ""},
    {"summaryText": None, "text": None},
    {"summaryText": 5, "text": 6, "classes": "a\"b", "id": "i<d"},
    # Drawn by the macro itself.
    {"summaryText": "With attributes", "text": "x", "attributes": {"data-x": "1"}},
    {"html": "<p>no summary</p>"},
    {"summaryText": "no words"},
]


def test_govuk_details_is_byte_identical_to_the_macro_for_every_shape_harbour_uses():
    for params in DETAILS_SHAPES:
        source, precompiled = both(DETAILS, "govukDetails", params)
        assert precompiled == source, params


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.fixed_dictionaries({}, optional={"summaryText": words, "summaryHtml": html, "text": words, "html": html,
                                           "classes": classes, "id": classes, "open": st.one_of(st.booleans(), words)}))
def test_govuk_details_is_byte_identical_to_the_macro_for_generated_params(params):
    source, precompiled = both(DETAILS, "govukDetails", params)
    assert precompiled == source


def test_govuk_details_with_a_caller_is_drawn_by_the_macro():
    call = ("{% from \"{prefix}/" + DETAILS + "\" import govukDetails %}"
            "{% call govukDetails({'summaryText': 'More'}) %}<p>From the caller</p>{% endcall %}")
    source = env().from_string(call.replace("{prefix}", components.SOURCE)).render()
    assert env().from_string(call.replace("{prefix}", "govuk_frontend_jinja")).render() == source
    assert "<p>From the caller</p>" in source


NAV = "components/service-navigation/macro.html"


def _menu(active="home", unread=0, extra=()):
    items = [{"href": "/", "text": Markup("Home"), "active": active == "home"},
             {"href": "/notifications/", "active": active == "notifications",
              "html": Markup("Notifications") + (Markup(' <span class="harbour-count">%s</span>') % unread
                                                 if unread else "")}]
    items += [{"href": f"/{name}/", "text": Markup(name.title()), "active": active == name} for name in extra]
    return items


def _slot(name):
    return Markup('<li class="govuk-service-navigation__item"><form method="post" action="/account/sign-out/">'
                  '<input type="hidden" name="csrfmiddlewaretoken" value="%s"><button>Sign out <span>%s</span>'
                  '</button></form></li>') % ("t0k3n" + name, name)


NAV_SHAPES = [
    {"navigation": _menu(), "slots": {"navigationEnd": _slot("Diana Dsl")}, "navigationLabel": Markup("Menu")},
    {"navigation": _menu("cases", 3, ("concerns", "cases", "dashboard", "registers")),
     "slots": {"navigationEnd": _slot("Hana Head")}, "navigationLabel": Markup("Dewislen")},
    {"navigation": _menu("notifications", 12), "slots": {"navigationEnd": _slot("Tom <Teacher> & Co")},
     "navigationLabel": "Menu"},
    {"navigation": _menu(), "slots": {"navigationEnd": "a plain <str> slot"}, "navigationLabel": "Menu"},
    # Drawn by the macro itself: no slot, other slots, an empty slot, something that is not plain data.
    {"navigation": _menu(), "navigationLabel": "Menu"},
    {"navigation": _menu(), "slots": {"start": Markup("<p>start</p>"), "navigationEnd": _slot("x")}},
    {"navigation": _menu(), "slots": {"navigationEnd": Markup("")}},
    {"navigation": [{"href": "/", "text": object.__name__, "attributes": {"data-x": object()}}],
     "slots": {"navigationEnd": _slot("y")}},
]


def test_service_navigation_is_byte_identical_to_the_macro_first_time_and_remembered():
    components._nav_memo.clear()
    for _ in range(2):
        for params in NAV_SHAPES:
            source, precompiled = both(NAV, "govukServiceNavigation", params)
            assert precompiled == source, params
    assert len(components._nav_memo) == 4  # the first four shapes; the others are drawn by the macro


def test_the_remembered_menu_never_holds_the_slot_a_page_put_in_it():
    components._nav_memo.clear()
    for name in ("Diana Dsl", "Hana Head"):
        both(NAV, "govukServiceNavigation", {"navigation": _menu(), "slots": {"navigationEnd": _slot(name)}})
    remembered = repr(components._nav_memo)
    assert "Diana" not in remembered and "Hana" not in remembered and "t0k3n" not in remembered
    assert len(components._nav_memo) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("person", ["diana", "dev", "hana", "tom", "gina", "carol", "lena", "eve"])
def test_every_role_gets_the_same_page_as_the_macro_would_draw_with_its_own_name_in_it(client, world, person,
                                                                                       monkeypatch):
    """Each role's menu (and the trust lead's school switcher) is the macro's; nobody sees another's slot."""
    def page(who):
        sign_in(client, getattr(world, who))
        html = client.get(reverse("home")).content.decode()
        return re.sub(r'value="[A-Za-z0-9]{64}"', 'value="TOKEN"', re.sub(r'nonce="[^"]+"', "", html))

    page("diana")  # someone else's page is drawn first
    remembered = page(person)
    drawn_by_the_macro = []

    def macro(context, params):
        drawn_by_the_macro.append(params)
        return components._macro(context, NAV, "govukServiceNavigation")(params)

    monkeypatch.setattr(components, "govuk_service_navigation", components.pass_context(macro))
    env().cache.clear()  # the stand-in template took the remembering one when it was first imported
    try:
        assert remembered == page(person) and drawn_by_the_macro
    finally:
        monkeypatch.undo()
        env().cache.clear()
    assert getattr(world, person).full_name in remembered
    if person != "diana":
        assert world.diana.full_name not in remembered


PAGE = "template.html"
# A page as Harbour's base.html makes one: blocks in the header and footer, or none, classes and attributes.
PAGE_CHILD = ("{% extends \"{prefix}/" + PAGE + "\" %}"
              "{% block headerStart %}{{ start }}{% endblock %}"
              "{% block govukHeader %}{{ header }}{% endblock %}"
              "{% block govukServiceNavigation %}{{ menu }}{{ drawn() }}{% endblock %}"
              "{% block headerEnd %}{{ end }}{% endblock %}"
              "{% block content %}<p>Words</p>{% endblock %}"
              "{% block govukFooter %}{{ footer }}{% endblock %}")


def both_pages(**variables):
    """(the package's page template, the one Harbour serves), each extended as base.html does, and how many times
    each drew its header's blocks."""
    rendered, times = [], []
    for prefix in (components.SOURCE, "govuk_frontend_jinja"):
        drawn = []
        rendered.append(env().from_string(PAGE_CHILD.replace("{prefix}", prefix)).render(
            drawn=lambda: drawn.append(1) or "", **variables))
        times.append(len(drawn))
    return rendered, times


PAGE_SHAPES = [
    {"start": "", "header": Markup('<div class="govuk-header">Harbour</div>'), "menu": Markup("<nav>Menu</nav>"),
     "end": "", "footer": Markup('<div class="govuk-footer">Footer</div>')},
    {"start": " \n ", "header": "", "menu": "", "end": "\n", "footer": ""},  # nothing to show: no <header>
    {"start": "<b>escaped</b>", "header": None, "menu": 0, "end": Markup("  <i>end</i>  "), "footer": " "},
    {"headerClasses": "harbour-header", "headerAttributes": {"data-x": "1"}, "footerClasses": "a\"b",
     "footerAttributes": {"id": "footer"}, "header": Markup("<div>h</div>"), "footer": Markup("<div>f</div>")},
    {"bodyAttributes": {"data-a": "<1>"}, "containerAttributes": {}, "mainAttributes": None, "headerAttributes": "",
     "footerAttributes": {"hidden": {"value": True, "optional": True}}, "header": "h", "footer": "f"},
]


def test_the_page_template_is_served_asking_for_its_header_and_footer_once():
    source = env().loader.get_source(env(), f"govuk_frontend_jinja/{PAGE}")[0]
    assert "caller()" not in source.replace("= caller() %}", "")
    assert source.count("{%- set _harbour_drawn = caller() %}") == 2


def test_the_page_template_is_served_writing_attributes_only_when_the_page_sets_them():
    source = env().loader.get_source(env(), f"govuk_frontend_jinja/{PAGE}")[0]
    assert source.count("govukAttributes(") == 5
    assert source.count("Attributes is defined else") == 5


def test_a_page_template_whose_words_have_changed_is_served_as_the_package_has_it():
    changed = "{% macro _govukTemplateHeader() %}{{ caller() }}{% endmacro %}"
    assert components.rewritten_source("govuk_frontend_jinja/" + PAGE, changed) == changed


def test_the_page_is_byte_identical_to_the_package_template_and_draws_its_header_once():
    for variables in PAGE_SHAPES:
        (source, served), (source_times, served_times) = both_pages(**variables)
        assert served == source, variables
        assert served_times == 1 and source_times == (2 if "<header" in source else 1)


_attribute_values = st.one_of(st.text(alphabet="ab &<>\"'"), st.integers(), st.booleans(), st.text().map(Markup))
blocks = st.one_of(st.none(), st.text(alphabet=" \n\t<>&ab"), st.text().map(Markup), st.integers())


@hypothesis_settings(max_examples=100, deadline=None)
@given(st.fixed_dictionaries({}, optional={"start": blocks, "header": blocks, "menu": blocks, "end": blocks,
                                           "footer": blocks, "headerClasses": classes, "footerClasses": classes,
                                           **{f"{name}Attributes": st.one_of(st.none(), st.dictionaries(
                                               st.text(alphabet="abd-&<\"", min_size=1), _attribute_values,
                                               max_size=2)) for name in ("body", "header", "main", "footer")}}))
def test_the_page_is_byte_identical_to_the_package_template_for_generated_blocks(variables):
    (source, served), _ = both_pages(**variables)
    assert served == source


@pytest.mark.django_db
@pytest.mark.parametrize("person", ["diana", "hana", "tom"])
def test_harbour_pages_are_the_same_as_the_package_template_draws_them(client, world, person, monkeypatch):
    """The home page, with its menu, school switcher and footer, as the package's own page template draws it."""
    def page():
        html = client.get(reverse("home")).content.decode()
        return re.sub(r'value="[A-Za-z0-9]{64}"', 'value="TOKEN"', re.sub(r'nonce="[^"]+"', "", html))

    sign_in(client, getattr(world, person))
    served = page()
    precompiled = env().loader.loaders[0]  # the DictLoader of harbour/jinja2.py
    package = env().loader.get_source(env(), f"{components.SOURCE}/{PAGE}")[0]
    monkeypatch.setitem(precompiled.mapping, f"govuk_frontend_jinja/{PAGE}", package)
    env().cache.clear()
    try:
        assert page() == served
    finally:
        monkeypatch.undo()
        env().cache.clear()
    assert "<header " in served and "<footer " in served and getattr(world, person).full_name in served


CHECKBOXES = "components/checkboxes/macro.html"
_STEPS = [{"value": "12", "text": "Tell the parents", "checked": False},
          {"value": "13", "text": "Record the <decision> & why", "checked": True},
          {"value": 14, "text": Markup("Speak to the <b>child</b>"), "checked": "yes"}]
CHECKBOXES_SHAPES = [
    # cases/_complete_steps.html, cases/review.html, api/tokens.html, registers/_fields.html
    {"name": "tasks", "idPrefix": "steps-done", "classes": "govuk-checkboxes--small",
     "fieldset": {"legend": {"text": "Which steps are done?", "classes": "govuk-fieldset__legend--s"}},
     "items": _STEPS, "errorMessage": None},
    {"name": "tasks", "idPrefix": "steps-done", "classes": "govuk-checkboxes--small",
     "fieldset": {"legend": {"text": "Which steps are done?", "classes": "govuk-fieldset__legend--s"}},
     "items": _STEPS, "errorMessage": {"text": "Choose the steps that are done."}},
    {"name": "scopes", "idPrefix": "scopes", "fieldset": {"legend": {"text": "What may it do?"}},
     "errorMessage": {"text": Markup("Choose <i>one</i>")}, "items": []},
    # concerns/encompass_new.html, concerns/alert_group.html, procedures/adapt.html: a hint, with and without errors
    {"name": "child", "idPrefix": "child", "classes": "govuk-checkboxes--small",
     "fieldset": {"legend": {"text": "Children named in the notice", "classes": "govuk-fieldset__legend--s"}},
     "hint": {"text": "Untick a child to take them off."}, "errorMessage": {"text": "Choose a child."},
     "items": _STEPS},
    {"name": "keep-extra", "idPrefix": "keep-extra", "hint": {"text": "Untick a task."}, "items": _STEPS,
     "fieldset": {"legend": {"text": "Extra tasks", "classes": "govuk-fieldset__legend--m"}}},
    {"name": "x", "idPrefix": "x", "hint": None, "fieldset": {"legend": {"text": ""}}, "items": _STEPS},
    # evidence/deletion.html, registers/photo_record.html, imports/upload.html, transfers/key_card.html: no fieldset
    {"name": "reminder", "idPrefix": "reminder", "errorMessage": {"text": "Say so."},
     "items": [{"value": "yes", "text": "I reminded the child", "checked": False}]},
    {"name": "in_writing", "idPrefix": "in_writing", "errorMessage": None,
     "items": [{"value": "on", "text": "It was given in writing", "hint": {"text": "It must be in writing."},
                "checked": None}]},
    {"name": "full", "idPrefix": "full", "hint": {"text": "Hint <here>"}, "errorMessage": {"text": "Wrong"},
     "items": [{"value": "yes", "checked": True, "text": "Leavers", "hint": {"text": "Never deleted."}},
               {"value": "no", "text": "Others", "hint": {"text": ""}}, None, {}]},
    {"name": "n&me", "items": [{"value": None, "text": "No id prefix: the name is used"}]},
    {"name": "n", "idPrefix": "", "items": [{"text": "No value", "hint": None}, {"text": 0}]},
    {"name": "multi", "items": [{"value": "a", "text": "Two\nlines\n\n of words\u2028here"}]},
    # Drawn by the macro itself: keys the Python component does not draw.
    {"name": "c", "items": [{"value": "a", "text": "A", "conditional": {"html": "<p>More</p>"}}]},
    {"name": "c", "items": [{"value": "a", "html": "<b>A</b>"}]},
    {"name": "c", "attributes": {"data-x": "1"}, "items": [{"value": "a", "text": "A"}]},
    {"name": "c", "fieldset": {"legend": {"text": "L", "isPageHeading": True}}, "items": [{"value": "a", "text": "A"}]},
    {"name": "c", "formGroup": {"classes": "x"}, "items": [{"value": "a", "text": "A"}]},
    {"name": "c", "items": [{"divider": "or"}]},
    {"name": Markup("m"), "items": [{"value": "a", "text": "A"}]},
]


def test_templates_importing_govuk_checkboxes_get_the_precompiled_component():
    module = env().get_template(f"govuk_frontend_jinja/{CHECKBOXES}").module
    assert module.govukCheckboxes is components.govuk_checkboxes


def test_govuk_checkboxes_is_byte_identical_to_the_macro_for_every_shape_harbour_uses():
    drawn_here = 0
    for params in CHECKBOXES_SHAPES:
        source, precompiled = both(CHECKBOXES, "govukCheckboxes", params)
        assert precompiled == source, params
        drawn_here += components._checkboxes_drawn_here(params)
    assert drawn_here == 11  # the others are the macro's (an item whose words are 0 among them)


_texts = st.one_of(st.text(alphabet=" \n<>&\"'ab\u2028"), st.text().map(Markup), st.integers(), st.none(),
                   st.just(""))
_item = st.one_of(st.none(), st.fixed_dictionaries({"text": _texts}, optional={
    "value": _texts, "checked": st.one_of(st.booleans(), st.none(), _texts),
    "hint": st.one_of(st.none(), st.fixed_dictionaries({}, optional={"text": _texts}))}))


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({"name": st.text(alphabet="ab-&<\""), "items": st.lists(_item, max_size=4)}, optional={
    "idPrefix": st.one_of(st.none(), st.just(""), st.text(alphabet="ab-&<")), "classes": classes,
    "fieldset": st.one_of(st.none(), st.fixed_dictionaries({"legend": st.fixed_dictionaries(
        {}, optional={"text": _texts, "classes": classes})})),
    "hint": st.one_of(st.none(), st.fixed_dictionaries({}, optional={"text": _texts})),
    "errorMessage": st.one_of(st.none(), st.fixed_dictionaries({}, optional={"text": _texts}))}))
def test_govuk_checkboxes_is_byte_identical_to_the_macro_for_generated_params(params):
    source, precompiled = both(CHECKBOXES, "govukCheckboxes", params)
    assert precompiled == source


TABLE = "components/table/macro.html"
_HEAD = [{"text": "Suggestion"}, {"text": "Reports", "format": "numeric"}, {"text": "Share", "format": "numeric"}]
TABLE_SHAPES = [
    # reports/dashboard.html, reports/figure.html, reports/totals.html: the first cell a header, numeric columns
    {"caption": "Reports that would get each suggestion, Autumn 2026", "captionClasses": "govuk-visually-hidden",
     "firstCellIsHeader": True, "head": _HEAD,
     "rows": [[{"text": "Say when"}, {"text": 3, "format": "numeric"}, {"text": "12%", "format": "numeric"}],
              [{"text": "Name <who>"}, {"text": 0, "format": "numeric"}, {"html": "<b>0%</b>", "format": "numeric"}]]},
    {"caption": "Totals at St <Mary>'s", "captionClasses": "govuk-table__caption--m", "firstCellIsHeader": True,
     "head": [{"text": "Measure"}, {"text": "This term", "format": "numeric"}], "rows": []},
    # advice/list.html, records/queue.html, procedures/list.html: no header column, links in cells
    {"caption": Markup("Scripts"), "captionClasses": "govuk-table__caption--m", "firstCellIsHeader": False,
     "head": [{"text": "Script"}, {"text": "Status"}],
     "rows": [[{"html": Markup('<a class="govuk-link" href="/a/?x=1&amp;y=2">A</a>')}, {"text": "In use"}],
              [{"html": ""}, {"text": None}], [], None, [{}]]},
    {"caption": "", "head": [], "rows": [[{"text": "No caption, no head", "classes": "a\"b"}]]},
    {"rows": [[{"text": "span", "colspan": 2, "rowspan": "3"}, {"text": "x", "format": "numeric", "classes": "c"}]],
     "head": [{"html": "<i>h</i>", "format": "numeric", "classes": "c", "colspan": 2, "rowspan": 0}],
     "classes": "harbour-table", "firstCellIsHeader": "yes"},
    {"rows": ([{"text": "a tuple of rows"}],)},
    # Drawn by the macro itself.
    {"rows": [[{"text": "a", "attributes": {"data-x": "1"}}]]},
    {"attributes": {"id": "t"}, "rows": [[{"text": "a"}]]},
    {"head": [{"text": "h", "attributes": {"data-y": "2"}}], "rows": [[{"text": "a"}]]},
    {"rows": [["not a dict"]]},
    {"caption": "no rows"},
]


def test_templates_importing_govuk_table_get_the_precompiled_component():
    module = env().get_template(f"govuk_frontend_jinja/{TABLE}").module
    assert module.govukTable is components.govuk_table


def test_govuk_table_is_byte_identical_to_the_macro_for_every_shape_harbour_uses():
    drawn_here = 0
    for params in TABLE_SHAPES:
        source, precompiled = both(TABLE, "govukTable", params)
        assert precompiled == source, params
        drawn_here += components._table_drawn_here(params)
    assert drawn_here == 6  # the others are the macro's


_cells = st.fixed_dictionaries({}, optional={"text": _texts, "html": html, "format": classes, "classes": classes,
                                            "colspan": st.one_of(st.none(), st.integers(0, 3), classes),
                                            "rowspan": st.one_of(st.none(), st.integers(0, 3))})


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({"rows": st.lists(st.one_of(st.none(), st.lists(_cells, max_size=3)), max_size=3)},
                             optional={"caption": _texts, "captionClasses": classes, "classes": classes,
                                       "firstCellIsHeader": st.one_of(st.booleans(), st.none()),
                                       "head": st.one_of(st.none(), st.lists(_cells, max_size=3))}))
def test_govuk_table_is_byte_identical_to_the_macro_for_generated_params(params):
    source, precompiled = both(TABLE, "govukTable", params)
    assert precompiled == source


def test_every_govuk_table_call_in_harbour_passes_keys_the_precompiled_component_draws():
    calls = []
    for path in Path(settings.BASE_DIR).glob("*/jinja2/**/*.html"):
        calls += re.findall(r"govukTable\(\{(.*?)\}\)", path.read_text(), flags=re.S)
    assert len(calls) >= 14
    for call in calls:
        while re.search(r"\[[^\[\]]*\]", call):  # the keys of the table's own dict, not of its head's cells
            call = re.sub(r"\[[^\[\]]*\]", "", call)
        keys = set(re.findall(r"(?:^|,)\s*'(\w+)':", call))
        assert keys and keys <= components._TABLE_KEYS, call


TEXTAREA = "components/textarea/macro.html"
_NOTE_ATTRIBUTES = {"data-hx-post": "/concerns/suggestions/", "data-hx-trigger": "input changed delay:1s",
                    "data-hx-swap": "none", "data-hx-vals": '{"field": "note-text"}'}
TEXTAREA_SHAPES = [
    # cases/detail.html's note, with htmx attributes; cases/_complete_steps.html's reason, with a hint
    {"id": "note-text", "name": "text", "rows": 3, "label": {"text": Markup("Add a note to the chronology")},
     "value": "", "errorMessage": None, "attributes": _NOTE_ATTRIBUTES},
    {"id": "note-text", "name": "text", "rows": 3, "label": {"text": "Add a note"}, "value": "Typed <b>words</b>\n&",
     "errorMessage": {"text": "Write the note."}, "attributes": _NOTE_ATTRIBUTES},
    {"id": "steps-reason", "name": "reason", "rows": 3, "value": None,
     "label": {"text": "What was done, and by whom", "classes": "govuk-label--s"},
     "hint": {"text": "One reason for all of them."}, "errorMessage": {"text": "Give the reason."}},
    # concerns/tell/*.html: attributes that switch help off
    {"id": "words", "name": "words", "rows": 6, "value": "", "label": {"text": "What is worrying you?",
     "classes": "govuk-label--m"}, "hint": {"text": "Use your own words."},
     "attributes": {"autocomplete": "off", "spellcheck": "false"}, "errorMessage": None},
    {"id": "message-text", "name": "message-text", "rows": 12, "value": Markup("<p>kept</p>"),
     "attributes": {"readonly": "readonly", "data-n": 3, "data-b": True, "data-f": False, "a&b": "<x>"},
     "label": {"text": "Select all of this text"}},
    {"name": "only-a-name", "label": {"text": ""}, "rows": 0, "classes": "a\"b", "spellcheck": False,
     "autocomplete": "off", "disabled": True},
    {"name": "n", "label": {}, "spellcheck": True, "hint": {"text": None}, "errorMessage": {"text": 0}},
    {"name": "n", "label": {"text": "L"}, "spellcheck": "false", "attributes": {}, "value": 0},
    # Drawn by the macro itself.
    {"name": "n", "label": {"text": "L", "isPageHeading": True}},
    {"name": "n", "label": {"html": "<b>L</b>"}},
    {"name": "n", "label": {"text": "L"}, "attributes": {"hidden": {"value": True, "optional": True}}},
    {"name": "n", "label": {"text": "L"}, "attributes": "data-raw=\"1\""},
    {"name": "n", "label": {"text": "L"}, "formGroup": {"classes": "x"}},
    {"name": "n", "label": {"text": "L"}, "describedBy": "other"},
    {"name": None, "label": {"text": "no id"}},
]


def test_templates_importing_govuk_textarea_get_the_precompiled_component():
    module = env().get_template(f"govuk_frontend_jinja/{TEXTAREA}").module
    assert module.govukTextarea is components.govuk_textarea


def test_govuk_textarea_is_byte_identical_to_the_macro_for_every_shape_harbour_uses():
    drawn_here = 0
    for params in TEXTAREA_SHAPES:
        source, precompiled = both(TEXTAREA, "govukTextarea", params)
        assert precompiled == source, params
        drawn_here += components._textarea_drawn_here(params)
    assert drawn_here == 8  # the others are the macro's


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({"label": st.fixed_dictionaries({}, optional={"text": _texts, "classes": classes})},
                             optional={
    "id": st.one_of(st.none(), st.text(alphabet="ab-&<")), "name": st.text(alphabet="ab-&<\""),
    "rows": st.one_of(st.none(), st.integers(0, 9), st.just("4")), "value": _texts, "classes": classes,
    "hint": st.one_of(st.none(), st.fixed_dictionaries({}, optional={"text": _texts})),
    "errorMessage": st.one_of(st.none(), st.fixed_dictionaries({}, optional={"text": _texts})),
    "spellcheck": st.one_of(st.booleans(), st.none(), st.just("false")), "autocomplete": classes,
    "disabled": st.one_of(st.booleans(), st.none()),
    "attributes": st.one_of(st.none(), st.dictionaries(st.text(alphabet="abd-&<\"", min_size=1), _attribute_values,
                                                       max_size=3))}))
def test_govuk_textarea_is_byte_identical_to_the_macro_for_generated_params(params):
    source, precompiled = both(TEXTAREA, "govukTextarea", params)
    assert precompiled == source


SUMMARY_LIST = "components/summary-list/macro.html"
_CHANGE = {"items": [{"href": "/cases/1/outcome/?a=1&b=2", "text": "Record", "visuallyHiddenText": "the outcome"}]}
SUMMARY_LIST_SHAPES = [
    # cases/detail.html: HTML and text values, one action on some rows and an empty list of actions on others
    {"rows": [{"key": {"text": "Procedure"}, "value": {"html": Markup("Sextortion v3\n  <br><span>As shipped</span>")}},
              {"key": {"text": Markup("Case opened")}, "value": {"text": "Diana <DSL>, 3 March 2026 at 9:05am"}},
              {"key": {"text": "Outcome"}, "value": {"text": "Not decided yet"}, "actions": _CHANGE},
              {"key": {"text": "Classification"}, "value": {"text": "x"}, "actions": {"items": []}}]},
    {"rows": [{"key": {"text": "Outcome"}, "value": {"text": None}, "actions": {"items": []}}]},
    {"rows": [{"key": {"text": "What happened"}, "value": {"text": "Two\nlines & more"}},
              {"key": {"text": "Debrief"}, "value": {"text": ""}}]},
    # cases/assess.html: classes, attributes, an action; pupil record and sign-off pages: plain rows
    {"classes": "harbour-implied-answer", "attributes": {"id": "implied-a-b"},
     "rows": [{"key": {"text": "Was the child harmed?"}, "value": {"html": "<strong>Yes</strong>"},
               "actions": {"items": [{"href": "/x/?question=a.b", "text": "Change",
                                      "visuallyHiddenText": "the answer: Was <it>?"}]}}]},
    {"rows": [{"key": {"text": "k", "classes": "kc"}, "value": {"text": 3, "classes": "vc"}, "classes": "rc",
               "actions": {"classes": "ac", "items": [{"href": "/", "text": "Go", "classes": "lc"}]}}, None, {}]},
    {"rows": []},
    {"rows": [{"key": {"html": "", "text": "falls back to text"}, "value": {"html": None}}]},
    {"rows": [{"key": {"text": "k"}, "value": {"text": "v"}, "actions": None}]},
    # Drawn by the macro itself.
    {"rows": [{"key": {"text": "k"}, "value": {"text": "v"},
               "actions": {"items": [{"href": "/a", "text": "A"}, {"href": "/b", "text": "B"}]}}]},
    {"card": {"title": {"text": "Card"}}, "rows": [{"key": {"text": "k"}, "value": {"text": "v"}}]},
    {"rows": [{"key": {"text": "k"}, "value": {"text": "v"},
               "actions": {"items": [{"href": "/a", "text": "A", "attributes": {"data-x": "1"}}]}}]},
]


def test_templates_importing_govuk_summary_list_get_the_precompiled_component():
    module = env().get_template(f"govuk_frontend_jinja/{SUMMARY_LIST}").module
    assert module.govukSummaryList is components.govuk_summary_list


def test_govuk_summary_list_is_byte_identical_to_the_macro_for_every_shape_harbour_uses():
    drawn_here = 0
    for params in SUMMARY_LIST_SHAPES:
        source, precompiled = both(SUMMARY_LIST, "govukSummaryList", params)
        assert precompiled == source, params
        drawn_here += components._summary_list_drawn_here(params)
    assert drawn_here == 8  # the others are the macro's


_part = st.fixed_dictionaries({}, optional={"text": _texts, "html": html, "classes": classes})
_action = st.fixed_dictionaries({}, optional={"href": _texts, "text": _texts, "visuallyHiddenText": _texts,
                                              "classes": classes})
_row = st.one_of(st.none(), st.fixed_dictionaries({"key": _part, "value": _part}, optional={
    "classes": classes, "actions": st.fixed_dictionaries({"items": st.lists(_action, max_size=1)},
                                                         optional={"classes": classes})}))


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({"rows": st.lists(_row, max_size=4)}, optional={
    "classes": classes, "attributes": st.one_of(st.none(), st.dictionaries(
        st.text(alphabet="abd-&<\"", min_size=1), _attribute_values, max_size=2))}))
def test_govuk_summary_list_is_byte_identical_to_the_macro_for_generated_params(params):
    source, precompiled = both(SUMMARY_LIST, "govukSummaryList", params)
    assert precompiled == source


BUTTON = "components/button/macro.html"
BUTTON_SHAPES = [
    # The shapes across Harbour's templates (grep govukButton): words, classes, double-click prevention, a link
    {"text": "Mark these steps as done", "classes": "govuk-button--secondary", "preventDoubleClick": True},
    {"text": Markup("Anfon"), "preventDoubleClick": True},
    {"text": "Save"},
    {"text": "Keep <this> & that", "classes": "govuk-button--warning harbour-x", "preventDoubleClick": False},
    {"text": "Start again", "href": "/concerns/new/?a=1&b=2", "classes": "govuk-button--secondary"},
    {"html": Markup("Send <span class=\"govuk-visually-hidden\">the report</span>\n  now "), "name": "action",
     "value": "send", "type": "submit", "id": "send"},
    {"text": "Find", "attributes": {"formaction": "/account/school/", "hx-post": "/search/"}, "name": "find",
     "value": "1"},
    {"text": "Off", "disabled": True, "preventDoubleClick": None, "classes": ""},
    {"text": None, "preventDoubleClick": "TRUE", "type": "button", "value": 0, "name": ""},
    {"html": "", "text": 3, "href": ""},
    {},
    # Drawn by the macro itself.
    {"text": "Start now", "isStartButton": True, "href": "/start"},
    {"text": "x", "classes": Markup("a")},
    {"text": "x", "attributes": {"data-x": {"value": True, "optional": True}}},
]


def test_templates_importing_govuk_button_get_the_precompiled_component():
    module = env().get_template(f"govuk_frontend_jinja/{BUTTON}").module
    assert module.govukButton is components.govuk_button


def test_govuk_button_is_byte_identical_to_the_macro_for_every_shape_harbour_uses():
    drawn_here = 0
    for params in BUTTON_SHAPES:
        source, precompiled = both(BUTTON, "govukButton", params)
        assert precompiled == source, params
        drawn_here += components._button_drawn_here(params)
    assert drawn_here == 11  # the others are the macro's


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({}, optional={
    "text": _texts, "html": html, "classes": st.one_of(st.none(), st.just(""), st.text(alphabet="ab -<&\"")),
    "href": st.one_of(st.none(), st.just(""), st.text(alphabet="/a?&<\"")), "type": classes, "name": _texts,
    "value": _texts, "disabled": st.one_of(st.booleans(), st.none()), "id": classes,
    "preventDoubleClick": st.one_of(st.booleans(), st.none(), _texts),
    "attributes": st.one_of(st.none(), st.dictionaries(st.text(alphabet="abd-&<\"", min_size=1), _attribute_values,
                                                       max_size=2))}))
def test_govuk_button_is_byte_identical_to_the_macro_for_generated_params(params):
    source, precompiled = both(BUTTON, "govukButton", params)
    assert precompiled == source


PAGINATION = "components/pagination/macro.html"
_PAGES = [{"number": 1, "href": "?page=1&show=all", "current": False, "visuallyHiddenText": "Page 1"},
          {"ellipsis": True},
          {"number": 4, "href": "?page=4", "current": True, "visuallyHiddenText": Markup("Tudalen 4")},
          {"number": 5, "href": "?page=5", "current": False, "visuallyHiddenText": "Page <5>"}]
PAGINATION_SHAPES = [
    # lib/paging.py: numbered pages, with previous and next in the reader's language, first, middle and last page
    {"landmarkLabel": "Pages of acknowledged concerns", "items": _PAGES,
     "previous": {"href": "?page=3", "html": Markup('Previous<span class="govuk-visually-hidden"> page</span>')},
     "next": {"href": "?page=5", "html": 'Nesaf<span class="govuk-visually-hidden"> tudalen</span>'}},
    {"landmarkLabel": "Pages", "items": _PAGES[:2], "next": {"href": "?page=2", "html": "Next"}},
    {"landmarkLabel": "Pages", "items": _PAGES[2:], "previous": {"href": "?page=3", "html": "  <b>Prev</b>\n two "}},
    {"items": [{"number": 2, "href": "/x"}, None, {}, {"number": None}, {"number": "7\nlines", "current": 1}],
     "previous": {"href": "?p=1", "text": " Back <one> "}, "next": {"href": "?p=3"}, "classes": "a\"b"},
    {"landmarkLabel": "", "items": [], "previous": {"href": ""}, "next": {"text": "no href"}},
    {"items": [{"ellipsis": True, "current": True}], "previous": None, "next": {}},
    # Drawn by the macro itself: no numbers (block level), attributes.
    {"previous": {"href": "/a", "text": "Previous", "labelText": "Page 1"}, "next": {"href": "/b"}},
    {"items": [{"number": 1, "href": "/", "attributes": {"data-x": "1"}}]},
    {"items": _PAGES, "attributes": {"id": "p"}},
]


def test_templates_importing_govuk_pagination_get_the_precompiled_component():
    module = env().get_template(f"govuk_frontend_jinja/{PAGINATION}").module
    assert module.govukPagination is components.govuk_pagination


def test_govuk_pagination_is_byte_identical_to_the_macro_for_every_shape_harbour_uses():
    drawn_here = 0
    for params in PAGINATION_SHAPES:
        source, precompiled = both(PAGINATION, "govukPagination", params)
        assert precompiled == source, params
        drawn_here += components._pagination_drawn_here(params)
    assert drawn_here == 6  # the others are the macro's


_link = st.one_of(st.none(), st.fixed_dictionaries({}, optional={"href": _texts, "html": html, "text": _texts}))
_page = st.one_of(st.none(), st.fixed_dictionaries({}, optional={
    "number": st.one_of(st.integers(0, 99), _texts), "href": _texts, "current": st.one_of(st.booleans(), st.none()),
    "visuallyHiddenText": _texts, "ellipsis": st.one_of(st.booleans(), st.none())}))


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({"items": st.lists(_page, max_size=4)}, optional={
    "landmarkLabel": _texts, "classes": classes, "previous": _link, "next": _link}))
def test_govuk_pagination_is_byte_identical_to_the_macro_for_generated_params(params):
    source, precompiled = both(PAGINATION, "govukPagination", params)
    assert precompiled == source


INPUT = "components/input/macro.html"
INPUT_SHAPES = [
    # cases/detail.html's review date; the shapes across Harbour's forms (grep govukInput)
    {"id": "review_date", "name": "review_date", "type": "date", "classes": "govuk-input--width-10",
     "label": {"text": "Review date (the ongoing phase)"}, "value": None, "errorMessage": None},
    {"id": "review_date", "name": "review_date", "type": "date", "classes": "govuk-input--width-10",
     "label": {"text": "Review date"}, "value": "2026-13-45", "errorMessage": {"text": "Enter it as a date."}},
    {"id": "other_attendees", "name": "other_attendees", "label": {"text": "Anyone else", "classes": "govuk-label--s"},
     "value": "", "errorMessage": None},
    {"id": "email", "name": "email", "type": "email", "autocomplete": "email", "spellcheck": False,
     "label": {"text": "Email address"}, "hint": {"text": "At the <school>"}, "value": "a@b.example",
     "errorMessage": {"text": "Enter an email address."}},
    {"id": "code", "name": "code", "inputmode": "numeric", "autocomplete": "one-time-code", "spellcheck": True,
     "classes": "govuk-input--width-5", "label": {"text": "Code"}, "pattern": "[0-9]*", "autocapitalize": "none"},
    {"name": "q", "label": {"text": "Search"}, "value": True, "disabled": True,
     "attributes": {"data-hx-get": "/search/", "aria-controls": "results"}},
    {"name": "q", "label": {}, "value": 0, "disabled": "disabled", "type": True, "spellcheck": 1},
    {"name": "n", "label": {"text": ""}, "type": "", "spellcheck": "false", "autocomplete": False, "value": False},
    # Drawn by the macro itself.
    {"name": "p", "label": {"text": "Amount"}, "prefix": {"text": "£"}},
    {"name": "p", "label": {"text": "Amount"}, "suffix": {"text": "kg"}},
    {"name": "p", "label": {"text": "Amount", "isPageHeading": True}},
    {"name": "p", "label": {"text": "Amount"}, "classes": Markup("x")},
    {"name": "p", "label": {"text": "Amount"}, "value": ["a"]},
]


def test_templates_importing_govuk_input_get_the_precompiled_component():
    module = env().get_template(f"govuk_frontend_jinja/{INPUT}").module
    assert module.govukInput is components.govuk_input


def test_govuk_input_is_byte_identical_to_the_macro_for_every_shape_harbour_uses():
    drawn_here = 0
    for params in INPUT_SHAPES:
        source, precompiled = both(INPUT, "govukInput", params)
        assert precompiled == source, params
        drawn_here += components._input_drawn_here(params)
    assert drawn_here == 8  # the others are the macro's


_optional_values = st.one_of(st.none(), st.booleans(), st.integers(-1, 2), _texts)


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({"label": st.fixed_dictionaries({}, optional={"text": _texts, "classes": classes})},
                             optional={
    "id": st.one_of(st.none(), st.text(alphabet="ab-&<")), "name": st.text(alphabet="ab-&<\""),
    "type": _optional_values, "classes": st.one_of(st.none(), st.just(""), st.text(alphabet="ab -<&\"")),
    "value": _optional_values, "spellcheck": _optional_values, "disabled": _optional_values,
    "autocomplete": _optional_values, "autocapitalize": _optional_values, "pattern": _optional_values,
    "inputmode": _optional_values,
    "hint": st.one_of(st.none(), st.fixed_dictionaries({}, optional={"text": _texts})),
    "errorMessage": st.one_of(st.none(), st.fixed_dictionaries({}, optional={"text": _texts})),
    "attributes": st.one_of(st.none(), st.dictionaries(st.text(alphabet="abd-&<\"", min_size=1), _attribute_values,
                                                       max_size=2))}))
def test_govuk_input_is_byte_identical_to_the_macro_for_generated_params(params):
    source, precompiled = both(INPUT, "govukInput", params)
    assert precompiled == source


@pytest.mark.parametrize("macro, keys, at_least", [
    ("govukButton", components._BUTTON_KEYS, 80),
    ("govukTextarea", components._TEXTAREA_KEYS, 50),
    ("govukInput", components._INPUT_KEYS, 80),
    ("govukCheckboxes", components._CHECKBOXES_KEYS, 15),
    ("govukSummaryList", components._SUMMARY_LIST_KEYS | {"card"}, 30),  # a card is the macro's (not on hot pages)
])
def test_every_call_in_harbour_passes_keys_the_precompiled_component_draws(macro, keys, at_least):
    """A shape that falls back to the macro is still right, but slow: keep Harbour's calls on the quick path (the
    keys of the call's own dict; what is inside its values is checked by each component as it draws)."""
    calls = []
    for path in Path(settings.BASE_DIR).glob("*/jinja2/**/*.html"):
        calls += re.findall(macro + r"\(\{(.*?)\}\) ?\}\}", path.read_text(), flags=re.S)
    assert len(calls) >= at_least
    for call in calls:
        for inner in (r"\{[^{}]*\}", r"\[[^\[\]]*\]"):  # the keys of the call's own dict, not of a dict inside it
            while re.search(inner, call):
                call = re.sub(inner, "", call)
        found = set(re.findall(r"(?:^|,)\s*'(\w+)':", call))
        assert found and found <= keys, call


SKIP_LINK, BACK_LINK, HEADER = ("components/skip-link/macro.html", "components/back-link/macro.html",
                                "components/generic-header/macro.html")
LINK_SHAPES = [
    # base.html's skip link; cases/_back.html and the other back links
    {"href": "#main-content", "text": Markup("Skip to main content")},
    {"href": "#main-content", "text": "Neidio i’r prif gynnwys"},
    {"text": "Back to case HBR-<1> & 2", "href": "/cases/1/?a=1&b=2"},
    {"text": "", "href": ""},
    {"html": "<b>Back</b>\n  ", "classes": "harbour-x", "attributes": {"data-x": "1", "data-y": True}},
    {"html": "", "text": None},
    {},
    # Drawn by the macro itself.
    {"text": "x", "attributes": {"data-x": {"value": "1", "optional": True}}},
    {"text": "x", "id": "not-a-key-of-either"},
]
HEADER_SHAPES = [
    # base.html's wordmark
    {"_namespace": "govuk", "logoHtml": Markup('<span class="govuk-header__product-name harbour-wordmark">Harbour'
                                               "</span>"), "url": "/"},
    {"logoText": "Harbour <b>", "url": "", "classes": "x\"y", "containerClasses": "c", "attributes": {"id": "h"}},
    {"_namespace": "", "logoHtml": "", "logoText": None},
    {"_namespace": None},
    # Drawn by the macro itself.
    {"logoText": "x", "navigation": []},
]


def test_skip_link_back_link_and_header_are_byte_identical_to_their_macros_for_every_shape_harbour_uses():
    drawn_here = 0
    for path, macro, shapes, function, drawn in (
            (SKIP_LINK, "govukSkipLink", LINK_SHAPES, components.govuk_skip_link, components._link_drawn_here),
            (BACK_LINK, "govukBackLink", LINK_SHAPES, components.govuk_back_link, components._link_drawn_here),
            (HEADER, "govukGenericHeader", HEADER_SHAPES, components.govuk_generic_header,
             components._header_drawn_here)):
        assert getattr(env().get_template(f"govuk_frontend_jinja/{path}").module, macro) is function
        for params in shapes:
            source, precompiled = both(path, macro, params)
            assert precompiled == source, (macro, params)
            drawn_here += drawn(params)
    assert drawn_here == 7 + 7 + 4  # the others are the macros'


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.sampled_from([(SKIP_LINK, "govukSkipLink"), (BACK_LINK, "govukBackLink")]),
       st.fixed_dictionaries({}, optional={"href": _texts, "text": _texts, "html": html, "classes": classes,
                                           "attributes": st.one_of(st.none(), st.dictionaries(
                                               st.text(alphabet="abd-&<\"", min_size=1), _attribute_values,
                                               max_size=2))}))
def test_skip_link_and_back_link_are_byte_identical_to_their_macros_for_generated_params(link, params):
    source, precompiled = both(*link, params)
    assert precompiled == source


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({}, optional={"_namespace": _texts, "classes": classes, "containerClasses": classes,
                                           "url": _texts, "logoHtml": html, "logoText": _texts}))
def test_generic_header_is_byte_identical_to_the_macro_for_generated_params(params):
    source, precompiled = both(HEADER, "govukGenericHeader", params)
    assert precompiled == source
