"""Issue 24: templates' ngettext, pgettext and npgettext (and `{% trans count=... %}` blocks) take Jinja's evaluation
context, not the page's, and give Jinja's newstyle words bit for bit. Rule J8: the same in English and in Welsh."""

import pytest
from django.template import engines
from django.utils import translation
from jinja2.ext import _make_new_ngettext, _make_new_npgettext, _make_new_pgettext

from harbour import jinja2 as harbour_jinja2
from lib.i18n import ENGLISH, WELSH

CALLS = [
    ("ngettext(s, p, n, **v)", {"s": "%(num)s concern", "p": "%(num)s concerns"}),
    ("ngettext(s, p, n, **v)", {"s": "one <b>%(name)s</b>", "p": "%(num)s <b>%(name)s</b> & co"}),
    ("pgettext(c, s, **v)", {"c": "menu", "s": "Cases %(context)s"}),
    ("npgettext(c, s, p, n, **v)", {"c": "count", "s": "%(num)s day", "p": "%(num)s days (%(context)s)"}),
]


@pytest.mark.parametrize("language", [ENGLISH, WELSH])
@pytest.mark.parametrize("autoescape", [True, False])
def test_j8_plural_and_context_words_are_jinjas_newstyle_ones_bit_for_bit(language, autoescape):
    stock = {"ngettext": _make_new_ngettext(translation.ngettext), "pgettext": _make_new_pgettext(translation.pgettext),
             "npgettext": _make_new_npgettext(translation.npgettext)}
    env = engines["jinja2"].env
    assert env.globals["ngettext"] is harbour_jinja2.template_ngettext
    assert env.globals["pgettext"] is harbour_jinja2.template_pgettext
    assert env.globals["npgettext"] is harbour_jinja2.template_npgettext
    mode = "{% autoescape " + str(autoescape).lower() + " %}"
    with translation.override(language):
        for call, args in CALLS:
            for n in (0, 1, 2, 5):
                context = {**args, "n": n, "v": {"name": "<Sam>"} if "name" in str(args) else {}}
                # In a loop, where a function given the page's context gets a copy of it on each call.
                source = mode + "{% for i in [1, 2] %}{{ " + call + " }}|{% endfor %}{% endautoescape %}"
                ours = env.from_string(source).render(context)
                theirs = env.from_string(source).render({**context, **stock})
                assert ours == theirs, (call, n)


@pytest.mark.parametrize("language", [ENGLISH, WELSH])
def test_j8_a_trans_block_with_a_count_reads_as_before(language):
    env = engines["jinja2"].env
    source = ("{% for n in [1, 3] %}{% trans count=n %}{{ count }} concern is waiting{% pluralize %}"
              "{{ count }} concerns are waiting{% endtrans %}.{% endfor %}")
    stock = {"ngettext": _make_new_ngettext(translation.ngettext)}
    with translation.override(language):
        assert env.from_string(source).render() == env.from_string(source).render(stock)
    with translation.override(ENGLISH):
        assert env.from_string(source).render() == "1 concern is waiting.3 concerns are waiting."
