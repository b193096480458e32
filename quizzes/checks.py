"""Item-writing checks: pure functions over a quiz's questions and its lesson's section.

Each finding names the rule of the house style it breaks (the numbered rules for a
question in the team's CONTENT.md, kept in RULES below) and the evidence. Most are
warnings for an editor to weigh; duplicate or empty choices and "all/none of the
above" are hard errors, refused by the admin. Checks across a pool are in
`quizzes.pool_checks`. Nothing here reads the database: `quizzes.quiz_checks`
turns model rows into `Item`s.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

RULES = {
    1: "faithful to the section",
    2: "one defensible key",
    4: "plausible, parallel distractors",
    5: "no cues",
    6: "no 'of the above', emphasised negatives",
    7: "the explanation points to the section",
}

ABSOLUTE_WORDS = frozenset(
    "only all always never certain certainly every entirely completely solely "
    "guaranteed everywhere none nothing nobody totally".split()
)
HEDGE_WORDS = frozenset("could may might can possibly perhaps potentially".split())
STOP_WORDS = frozenset(
    """about above after again against also although among because been before being
    between both by could does doing down during each from further have having here
    into itself just like more most much must other over same should some such than
    that their theirs them then there these they this those through under until very
    were what when where which while will with would your according explainer section
    lesson""".split()
)
OF_THE_ABOVE = re.compile(r"\b(all|none|both|neither)\s+of\s+the\s+(above|options|choices)\b", re.I)
NEGATIVE = re.compile(r"\b(not|except|never)\b|n't\b", re.I)
EMPHASISED_NEGATIVE = re.compile(r"\b(NOT|EXCEPT|NEVER)\b|\*\*?(not|except|never)\*\*?")
SELECT_ALL = re.compile(r"\b(select|choose|tick|pick|mark)\s+(all|every|each)\b", re.I)
QUOTED = re.compile(r"[\"“”]([^\"“”]{12,})[\"“”]")
WORD = re.compile(r"[a-z][a-z'’-]*")

KEY_LONGER_BY = 1.25  # the key is "clearly the longest" past 125% of the longest distractor
ECHO_GAP = 0.34  # a key sharing this much more of its words with the source than distractors do
ECHO_MIN = 0.5
EXPLAINS_SHARE = 0.4  # an explanation naming this much of a sentence points to it
CUE_SHARE = 0.5  # another question shows half or more of a key's distinctive words


@dataclass(frozen=True)
class Choice:
    text: str
    is_correct: bool


@dataclass(frozen=True)
class Item:
    """A question as the checks see it. `key` names it in findings (a pk or position)."""

    key: object
    prompt: str
    kind: str  # "single" or "multiple", as QuestionKind
    choices: tuple
    explanation: str = ""
    source_passage: str = ""
    label: str = ""  # how findings name it, e.g. "Q3"; the key by default

    @property
    def name(self):
        return self.label or f"Question {self.key}"

    @property
    def keys(self):
        return [choice for choice in self.choices if choice.is_correct]

    @property
    def distractors(self):
        return [choice for choice in self.choices if not choice.is_correct]


@dataclass(frozen=True)
class Finding:
    rule: int
    check: str
    message: str
    hard: bool = False

    def __str__(self):
        return f"rule {self.rule} ({self.check}): {self.message}"


@dataclass
class PoolReport:
    """Findings per question key, the quiz's own findings, and the pairs that cue."""

    questions: dict = field(default_factory=dict)
    quiz: list = field(default_factory=list)
    cueing: set = field(default_factory=set)

    def for_question(self, key):
        return self.questions.get(key, [])

    @property
    def count(self):
        return len(self.quiz) + sum(len(found) for found in self.questions.values())


def words(text):
    return WORD.findall(text.lower().replace("’", "'"))


@lru_cache(maxsize=8192)
def content_words(text):
    """Words that carry meaning: four letters or more, not a stop word, with a possessive
    or a plural's 's' off ("Ukraine's" and "Ukraine" are one word). Cached: checking a
    pool compares every question's texts with every other's."""
    found = set()
    for word in words(text):
        word = word.strip("'’-").removesuffix("'s")
        if len(word) < 4 or word in STOP_WORDS:
            continue
        found.add(word[:-1] if word.endswith("s") and not word.endswith("ss") else word)
    return frozenset(found)


def _normal(text):
    return " ".join(words(text))


def quote(text, limit=60):
    text = " ".join(text.split())
    return f"'{text}'" if len(text) <= limit else f"'{text[: limit - 1]}…'"


def _share(choice_words, reference):
    return len(choice_words & reference) / len(choice_words) if choice_words else 0.0


def hard_findings(choices):
    """What no question may have: empty or duplicate choices, "all/none of the above".
    `choices` is a list of texts."""
    found = []
    texts = [" ".join(text.split()) for text in choices]
    if any(not text for text in texts):
        found.append(Finding(4, "choices", "A choice is empty: write it or delete the row.", True))
    first_spelling = {}
    for text in texts:
        if text:
            first_spelling.setdefault(text.casefold(), text)  # quoted as the editor typed it
    counts = Counter(text.casefold() for text in texts if text)
    for folded, count in counts.items():
        if count > 1:
            message = f"The choice {quote(first_spelling[folded])} appears {count} times."
            found.append(Finding(2, "choices", message, True))
    for text in texts:
        if OF_THE_ABOVE.search(text):
            message = (
                f"{quote(text)}: 'all/none of the above' rewards test-taking, not reading. "
                "Write a real choice."
            )
            found.append(Finding(6, "of-the-above", message, True))
    return found


def hard_errors(choices):
    """The hard findings' messages, for the admin's form errors."""
    return [finding.message for finding in hard_findings(choices)]


def _hard(item):
    return hard_findings([choice.text for choice in item.choices])


def _question_part(prompt):
    """The sentence that asks: a scenario before it may say "not" without asking for
    the exception ("...decides an attack is not worth it. Which aim does this serve?")."""
    asking = [s for s in sentences(prompt) if s.rstrip().endswith("?")]
    return asking[-1] if asking else prompt


def _negative_stem(item):
    asked = _question_part(item.prompt)
    if NEGATIVE.search(asked) and not EMPHASISED_NEGATIVE.search(asked):
        word = NEGATIVE.search(asked).group(0)
        return [
            Finding(
                6,
                "negative-stem",
                f"The stem asks a negative ('{word}') without "
                "emphasis: write NOT in capitals or ask it positively.",
            )
        ]
    return []


def _select_all_prompt(item):
    says = bool(SELECT_ALL.search(item.prompt))
    if item.kind == "multiple" and not says:
        return [
            Finding(
                2,
                "how-to-answer",
                "A select-all question whose stem does not say 'Select all that apply'.",
            )
        ]
    if item.kind == "single" and says:
        return [
            Finding(2, "how-to-answer", "A single-answer question whose stem asks to select all.")
        ]
    return []


def _length_cue(item):
    keys, distractors = item.keys, item.distractors
    if not keys or not distractors:
        return []
    key_lengths = [len(choice.text.strip()) for choice in keys]
    other_lengths = [len(choice.text.strip()) for choice in distractors]
    if item.kind == "single":
        key, longest = key_lengths[0], max(other_lengths)
        if key > KEY_LONGER_BY * longest:
            return [
                Finding(
                    5,
                    "key-longest",
                    f"The key is clearly the longest choice "
                    f"({key} characters; the longest distractor has {longest}).",
                )
            ]
        return []
    if len(distractors) and (max(key_lengths) < min(other_lengths)):
        side = "shorter"
    elif min(key_lengths) > max(other_lengths):
        side = "longer"
    else:
        return []
    return [
        Finding(
            5,
            "keys-by-length",
            f"Every correct choice is {side} than every "
            f"distractor (keys {sorted(key_lengths)}, distractors "
            f"{sorted(other_lengths)} characters).",
        )
    ]


def _word_cues(item):
    def marked(choices, vocabulary):
        return any(set(words(choice.text)) & vocabulary for choice in choices)

    found = []
    keys, distractors = item.keys, item.distractors
    if marked(distractors, ABSOLUTE_WORDS) and not marked(keys, ABSOLUTE_WORDS):
        used = sorted({w for c in distractors for w in words(c.text)} & ABSOLUTE_WORDS)
        found.append(
            Finding(
                5,
                "absolute-words",
                f"Absolute words ({', '.join(used)}) appear "
                "only in distractors, which marks them as wrong.",
            )
        )
    if marked(keys, HEDGE_WORDS) and not marked(distractors, HEDGE_WORDS):
        used = sorted({w for c in keys for w in words(c.text)} & HEDGE_WORDS)
        found.append(
            Finding(
                5,
                "hedged-key",
                f"Hedged words ({', '.join(used)}) appear only "
                "in the key, which marks it as right.",
            )
        )
    return found


def _echo(item, section):
    """The key repeats the source sentence's (or the stem's) words far more than the
    distractors do: a learner can match words instead of understanding."""
    keys, distractors = item.keys, item.distractors
    if not keys or not distractors:
        return []
    found = []
    references = [
        ("the source sentence", item.source_passage or section),
        ("the stem", item.prompt),
    ]
    for name, text in references:
        reference = content_words(text)
        key_share = sum(_share(content_words(c.text), reference) for c in keys) / len(keys)
        other = sum(_share(content_words(c.text), reference) for c in distractors)
        other_share = other / len(distractors)
        if key_share >= ECHO_MIN and key_share - other_share >= ECHO_GAP:
            found.append(
                Finding(
                    5,
                    "key-echoes",
                    f"The key repeats {name}'s words "
                    f"({key_share:.0%} of its words) far more than the "
                    f"distractors do ({other_share:.0%}): paraphrase it, or "
                    "build distractors from the explainer's own words.",
                )
            )
    return found


def sentences(section):
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", section) if s.strip()]


def _source(item, section):
    if not item.source_passage.strip():
        return [
            Finding(
                1,
                "source",
                "No source passage: name the sentence of the section that answers the question.",
            )
        ]
    if _normal(item.source_passage) not in _normal(section):
        return [
            Finding(
                1,
                "source",
                f"The source passage {quote(item.source_passage)} is not in the lesson's section.",
            )
        ]
    return []


def _explanation(item, section):
    text = item.explanation.strip()
    if not text:
        return [
            Finding(
                7,
                "explanation",
                "No explanation: say why the key is right and "
                "which sentence of the section says so.",
            )
        ]
    normal_section = _normal(section)
    if any(_normal(quote) in normal_section for quote in QUOTED.findall(text)):
        return []
    said = content_words(text)
    for sentence in sentences(section):
        wanted = content_words(sentence)
        if wanted and len(wanted & said) / len(wanted) >= EXPLAINS_SHARE:
            return []
    return [
        Finding(
            7,
            "explanation",
            "The explanation does not point to a sentence of the "
            "section: quote the words that make the key right.",
        )
    ]


def check_question(item, section):
    """The findings for one question on its own, against its lesson's section text."""
    return [
        *_hard(item),
        *_negative_stem(item),
        *_select_all_prompt(item),
        *_length_cue(item),
        *_word_cues(item),
        *_echo(item, section),
        *_source(item, section),
        *_explanation(item, section),
    ]
