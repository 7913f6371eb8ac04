"""Issue 24: a rule's words and sources are worked out once per rule (procedures/rules.py), and are what reading
rules.toml gives: every rule, with and without a sub-number, and numbers Harbour does not know. Rule J7 (each
element's source in words, shown behind "Why is this asked?")."""

from procedures import rules


def test_j7_every_rule_in_words_is_what_rules_toml_says():
    for number, found in rules._rules().items():
        expected = {"id": number, "words": found.words, "source": rules.source_in_words(found.source)}
        assert rules.rule(number) == rules.rule(number) == expected
        assert rules.rule(f"{number}.1") == {**expected, "id": f"{number}.1"}


def test_j7_a_rule_given_out_is_the_readers_own_to_change():
    first = rules.rule("B6")
    first["words"] = "changed"
    assert rules.rule("B6")["words"] != "changed"


def test_j7_numbers_not_known_are_left_out_each_rule_once_in_order():
    assert rules.rule("Z99") is None and rules.rule(None) is None
    assert [r["id"] for r in rules.rules_for(["B10", "Z99", "B6", "B10", None])] == ["B10", "B6"]
