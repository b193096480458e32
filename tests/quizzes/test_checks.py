"""The item checks against hand-made questions: one clean question, then one fault each."""

from dataclasses import replace

import pytest

from quizzes.checks import Choice, Item, check_question, hard_errors
from quizzes.pool_checks import check_pool, cueing_pairs

SECTION = (
    "Russia has rejected the idea of Western security guarantees for Ukraine, viewing the "
    "'reassurance force' as a potential threat to its influence in the region. This rejection "
    "indicates heightened tensions and the possibility of further escalation if Russia "
    "perceives the military presence as provocative. The coalition's efforts may also isolate "
    "Russia diplomatically and reinforce Western unity against its actions."
)
PASSAGE = (
    "Russia has rejected the idea of Western security guarantees for Ukraine, viewing the "
    "'reassurance force' as a potential threat to its influence in the region."
)


def good(key=1, **changes):
    question = Item(
        key=key,
        prompt="According to the explainer, how does Russia see the reassurance force?",
        kind="single",
        choices=(
            Choice("As a step towards joining NATO's alliance", False),
            Choice("As a danger to its sway over nearby countries", True),
            Choice("As a way to share the cost of rebuilding", False),
            Choice("As a help for talks on a lasting ceasefire", False),
        ),
        explanation=f'The section says Russia views the force "{PASSAGE[62:]}"',
        source_passage=PASSAGE,
    )
    return replace(question, **changes)


def checks_of(item, section=SECTION):
    return {finding.check for finding in check_question(item, section)}


def with_choices(*pairs, **changes):
    return good(choices=tuple(Choice(text, correct) for text, correct in pairs), **changes)


def test_a_well_written_question_has_no_findings():
    assert check_question(good(), SECTION) == []


@pytest.mark.parametrize(
    "texts, expected",
    [
        (["Yes", "No", "yes "], "appears 2 times"),
        (["Yes", "No", "  "], "empty"),
        (["Yes", "No", "All of the above"], "of the above"),
        (["Yes", "No", "None of the above"], "of the above"),
    ],
)
def test_hard_errors_name_the_fault(texts, expected):
    [message] = hard_errors(texts)
    assert expected in message


def test_hard_findings_are_marked_hard_with_their_rule():
    question = with_choices(("Yes", True), ("No", False), ("None of the above", False))
    [finding] = [f for f in check_question(question, SECTION) if f.hard]
    assert (finding.rule, finding.check) == (6, "of-the-above")
    duplicate = with_choices(("Yes", True), ("No", False), ("no", False))
    assert [f.rule for f in check_question(duplicate, SECTION) if f.hard] == [2]


def test_a_negative_stem_needs_emphasis():
    plain = good(prompt="Which is not how Russia sees the reassurance force?")
    shouted = good(prompt="Which is NOT how Russia sees the reassurance force?")
    assert "negative-stem" in checks_of(plain)
    assert "negative-stem" not in checks_of(shouted)


def test_select_all_must_say_so_and_single_must_not():
    multiple = with_choices(
        ("A danger to its sway nearby", True),
        ("A reason to raise tensions", True),
        ("A plan to rebuild Ukraine's cities", False),
        kind="multiple",
    )
    assert "how-to-answer" in checks_of(multiple)
    told = replace(multiple, prompt=multiple.prompt + " Select all that apply.")
    assert "how-to-answer" not in checks_of(told)
    assert "how-to-answer" in checks_of(good(prompt="Select all that apply: how does Russia..."))


def test_a_key_clearly_the_longest_is_a_cue():
    question = with_choices(
        ("As a danger to its sway over the countries near it and its own interests", True),
        ("As a step towards NATO", False),
        ("As a way to share costs", False),
        ("As help for ceasefire talks", False),
    )
    findings = check_question(question, SECTION)
    [finding] = [f for f in findings if f.check == "key-longest"]
    assert finding.rule == 5 and "72 characters" in finding.message


@pytest.mark.parametrize("side", ["shorter", "longer"])
def test_select_all_keys_told_apart_by_length(side):
    short, long = "A danger to its sway", "A sign that tensions may rise further in the region"
    keys = [short, short + " nearby"] if side == "shorter" else [long, long + " now"]
    others = [long + " soon", long + " again"] if side == "shorter" else [short, short + "!"]
    question = with_choices(
        *((text, True) for text in keys),
        *((text, False) for text in others),
        kind="multiple",
        prompt="How does Russia see the force? Select all that apply.",
    )
    [finding] = [f for f in check_question(question, SECTION) if f.check == "keys-by-length"]
    assert side in finding.message


def test_select_all_keys_of_mixed_lengths_pass():
    question = with_choices(
        ("A danger to its sway", True),
        ("A sign that tensions may rise further in the region", True),
        ("A step towards joining NATO's alliance", False),
        ("A plan", False),
        kind="multiple",
        prompt="How does Russia see the force? Select all that apply.",
    )
    assert "keys-by-length" not in checks_of(question)


def test_absolute_words_only_in_distractors():
    question = with_choices(
        ("As a step towards joining NATO's alliance", False),
        ("As a danger to its sway over nearby countries", True),
        ("As the only way to share the cost of rebuilding", False),
        ("As a help for talks on a lasting ceasefire", False),
    )
    [finding] = [f for f in check_question(question, SECTION) if f.check == "absolute-words"]
    assert "only" in finding.message
    balanced = replace(
        question,
        choices=(
            *question.choices[:1],
            Choice("As the only danger to its sway", True),
            *question.choices[2:],
        ),
    )
    assert "absolute-words" not in checks_of(balanced)


def test_hedged_words_only_in_the_key():
    question = with_choices(
        ("As a step towards joining NATO's alliance", False),
        ("As something that could threaten its sway", True),
        ("As a way to share the cost of rebuilding", False),
        ("As a help for talks on a lasting ceasefire", False),
    )
    assert "hedged-key" in checks_of(question)


def test_a_key_that_copies_the_source_sentence_is_flagged():
    question = with_choices(
        ("As a step towards joining NATO's alliance", False),
        ("As a potential threat to its influence in the region", True),
        ("As a way to share the cost of rebuilding", False),
        ("As a help for talks on a lasting ceasefire", False),
    )
    [finding] = [f for f in check_question(question, SECTION) if f.check == "key-echoes"]
    assert "source sentence" in finding.message and "100%" in finding.message


def test_a_key_that_copies_the_stem_is_flagged():
    question = with_choices(
        ("As a step towards joining NATO's alliance", False),
        ("As a danger to its sway over nearby countries", True),
        ("As a way to share the cost of rebuilding", False),
        ("As a help for talks on a lasting ceasefire", False),
        prompt="Russia sees the force as a danger to its sway over what?",
    )
    assert any("the stem" in f.message for f in check_question(question, SECTION))


def test_distractors_that_echo_the_source_as_much_as_the_key_pass():
    question = with_choices(
        ("As a threat to its influence in the region", True),
        ("As a threat to Western unity in the region", False),
        ("As a guarantee of its influence in Ukraine", False),
        ("As a provocative presence in the region", False),
    )
    assert "key-echoes" not in checks_of(question)


def test_an_explanation_must_point_to_the_section():
    vague = good(explanation="Because that is what Russia thinks, as we learnt above.")
    assert "explanation" in checks_of(vague)
    assert "explanation" in checks_of(good(explanation=""))
    paraphrase = good(
        explanation="Russia views the reassurance force as a potential threat to its influence."
    )
    assert "explanation" not in checks_of(paraphrase)


def test_a_source_passage_must_be_in_the_section():
    invented = good(source_passage="Russia welcomed the force warmly.")
    [finding] = [f for f in check_question(invented, SECTION) if f.check == "source"]
    assert finding.rule == 1 and "not in the lesson's section" in finding.message
    assert "source" in checks_of(good(source_passage=""))
    spaced = good(source_passage=PASSAGE.replace(" ", "  ").upper())
    assert "source" not in checks_of(spaced)


def test_a_stem_that_states_another_questions_key_is_cueing():
    first = good(key=1)
    second = good(
        key=2,
        prompt="Because Russia sees the force as a danger to its sway over nearby countries, "
        "what does its rejection indicate?",
        choices=(
            Choice("Heightened tensions and a chance of escalation", True),
            Choice("A quick end to the war in the east", False),
            Choice("Closer ties between Russia and NATO", False),
            Choice("A wish to join the coalition later", False),
        ),
    )
    report = check_pool([first, second], SECTION)
    [finding] = [f for f in report.for_question(1) if f.check == "cueing"]
    assert "Question 2" in finding.message
    assert report.cueing == {frozenset({1, 2})}
    unrelated = replace(second, key=3, prompt="What does Russia's rejection indicate?")
    assert cueing_pairs([first, unrelated]) == set()


def test_a_choice_that_states_another_questions_key_is_cueing():
    second = with_choices(
        ("Danger to its sway over nearby countries", False),
        ("Western unity against its actions", True),
        ("A lasting ceasefire", False),
        ("Rebuilding costs shared", False),
        key=2,
        prompt="According to the explainer, what could the coalition's efforts reinforce?",
    )
    assert cueing_pairs([good(key=1), second]) == {frozenset({1, 2})}


def test_the_same_key_position_in_most_of_an_unshuffled_quiz():
    items = [good(key=n) for n in range(1, 5)]  # the key is choice 2 in all four
    [finding] = check_pool(items, SECTION, shuffled=False).quiz
    assert finding.check == "key-position" and "choice 2 in 4 of 4" in finding.message
    assert check_pool(items, SECTION, shuffled=True).quiz == []
    moved = [*items[:2], *(replace(i, choices=i.choices[::-1]) for i in items[2:])]
    assert check_pool(moved, SECTION, shuffled=False).quiz == []


def test_a_not_in_a_scenario_before_the_question_is_no_negative_stem():
    scenario = good(prompt="Russia decides an attack is not worth it. What does this show?")
    asking = good(prompt="Russia decides to attack. What does this not show?")
    assert "negative-stem" not in checks_of(scenario)
    assert "negative-stem" in checks_of(asking)


def test_the_pools_topic_words_are_no_cue():
    # "Ukraine" and "region" are in most stems: a key using them is not given away.
    def asking(key, prompt, answer):
        return with_choices(
            (answer, True),
            ("Closer ties with NATO", False),
            ("A quick ceasefire", False),
            key=key,
            prompt=prompt,
        )

    first = asking(1, "What does the coalition promise?", "Safety across Ukraine's region")
    others = [
        asking(2, "What could Ukraine's region lose in the war?", "Trade routes"),
        asking(3, "Who guards the region for Ukraine?", "Coalition troops"),
        asking(4, "Which region borders Ukraine?", "The eastern flank"),
    ]
    assert cueing_pairs([first, *others]) == set()
    # Fewer stems naming them: the same words now tell the key apart, and cue it.
    assert cueing_pairs([first, others[0]]) == {frozenset({1, 2})}


def test_a_duplicate_is_named_as_typed_and_filed_under_its_own_rule():
    # "empty" or "of the above" inside a choice's text must not change which rule it breaks.
    question = with_choices(("An Empty promise", True), ("an empty promise", False), ("No", False))
    [finding] = [f for f in check_question(question, SECTION) if f.hard]
    assert (finding.rule, finding.check) == (2, "choices")
    assert "'An Empty promise' appears 2 times" in finding.message
