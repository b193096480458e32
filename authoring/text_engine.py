"""The drafting engine that works from the explainer's text alone.

It reads what the prose itself marks: terms it defines, reasons and purposes
("because", "so that", "is designed to"), lists, numbers, dates and names. Each
candidate question takes its key from one sentence of the section and its
distractors from the same kind of thing named elsewhere in the explainer, so no
word comes from outside the text, and a distractor is dropped when the text
would make it true of the same sentence.
"""

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from . import text as T
from .deriving import definitions, shown
from .drafting import CHOICES, Draft, arrange

QUOTE = "“{}”"
BLANK = "_____"
PHRASES_PER_SECTION = 14
# A name in more than about half the sections is the explainer's topic: easy to guess
# as a key, so it is blanked out only as a last resort (family "topic", ranked last).
TOPIC_RARITY = 0.6
SINGLE_ZIPF = 3.5  # a one-word blank only for a word this rare in English
PURPOSE = re.compile(
    r"^(?P<subject>(?:The |This |These |Its |A |An )?[\w'’ -]{3,80}?) "
    r"(?P<verb>is|are|was|were) (?:\w+ )?(?P<how>designed|intended|meant) to (?P<what>[a-z][^;:]+)$"
)
AIMS = re.compile(
    r"^(?P<subject>(?:The |This |These |Its )?[\w'’ -]{3,60}?) aims? to (?P<what>[a-z][^;:]+)$"
)
CAUSE = re.compile(
    r"^(?P<head>.{12,}?),? (?P<marker>because|so that|in order to|to prevent|in response to|"
    r"due to|as a result of|mainly because|partly because) (?P<what>[^;:]{6,})$"
)
CAUSE_FIRST = re.compile(r"^Because (?P<what>[^,]{6,}), (?P<head>.{12,})$")
# "Paved ground lets rain run off, so there is less moisture": what follows.
RESULT = re.compile(
    r"^(?P<head>.{12,}?), (?P<marker>so) (?!that\b|far\b|much\b|many\b)(?P<what>[^;:]{6,})$"
)
SUBORDINATORS = ("because", "although", "when", "if", "as", "while", "since", "unlike")
INFINITIVE = re.compile(
    r"\b(?:\w+ed|aims?|means?|meant|order|helps?|seeks?|tries|try|wants?|needs?|able|"
    r"designed|intended|mainly) to ([a-z]+(?: [\w'’-]+)+)"
)
MARKER_SLOT = {
    "because": "clause",
    "mainly because": "clause",
    "partly because": "clause",
    "so that": "clause",
    "so": "clause",
    "in order to": "verb",
    "to prevent": "noun",
    "in response to": "noun",
    "due to": "noun",
    "as a result of": "noun",
}


def clause(text, limit=22):
    """The first clause of `text`, at most `limit` words, without a final stop."""
    text = re.split(
        r"[;:]|, (?:and|but|while|which|so|although|though|as|[a-z]+ing)\b| - | – ", text
    )[0]
    words = text.rstrip(" .!?,").split()
    return " ".join(words[:limit]) if len(words) <= limit else ""


def complete(text):
    """Whether a phrase ends as a phrase: not on "after", "with", "the" or a comma."""
    words = text.rstrip(" .").split()
    return bool(words) and words[-1].lower().strip("'’") not in T.STOP | T.DETERMINERS


VERB_LEADS = frozenset(
    "to can could will would may might must should they it he she we which who not "
    "also often usually still never".split()
)
NOUN_LEADS = frozenset("the a an its their his her our this these those".split())
ADVERBS = frozenset("instead first later already even just far again together soon".split())


def verb_evidence(sections):
    """Words the explainer itself uses as verbs: after "to", a modal or a pronoun,
    and never after an article or a possessive. A phrase holding one ("leads people",
    "add moisture") is a verb phrase, not the name of a thing."""
    after_verb_lead, after_noun_lead = set(), set()
    for text in sections:
        words = T.tokens(text)
        for before, word in zip(words, words[1:], strict=False):
            before, low = before.lower(), word.lower()
            if before in NOUN_LEADS:
                after_noun_lead.add(low)
            elif before in VERB_LEADS and word.islower() and low not in T.STOP:
                # "to" also leads a noun ("lead to increased tensions"): after it, only
                # a base form counts.
                if before != "to" or not low.endswith(("ed", "s")):
                    after_verb_lead.add(low)
    # A word whose -ing form the text uses ("ensure", "ensuring") is a verb as well.
    every = {w.lower() for text in sections for w in T.tokens(text)}
    for word in list(every):
        if word.endswith("ing") and len(word) > 5:
            after_verb_lead |= {word[:-3], word[:-3] + "e"} & every
    return frozenset(after_verb_lead - after_noun_lead)


def nominal(phrase, verbs):
    if not T.noun_like(phrase):
        return False
    words = [w.lower() for w in phrase.split()]
    return not (set(words) & (verbs | ADVERBS))


def _plural(phrase):
    last = phrase.split()[-1]
    return T.stem(last) != last.lower().replace("’", "'")


def _digest(*parts):
    return int(hashlib.sha1("\n".join(parts).encode()).hexdigest()[:8], 16)


@lru_cache(maxsize=16384)
def _content(text):
    return frozenset(T.content(text))


@dataclass
class Fact:
    """Something the explainer names, where, and what kind of thing it is."""

    text: str
    kind: str
    section: int
    sentence: str
    weak: bool = False  # a common word ("problem"): blanked out only as a last resort


@dataclass
class Inventory:
    sections: list
    sentences: list = field(default_factory=list)  # per section
    facts: list = field(default_factory=list)
    lists: list = field(default_factory=list)  # (section, sentence, lead, items)
    definitions: list = field(default_factory=list)  # (section, Definition)
    slots: dict = field(default_factory=dict)  # slot -> [(section, text)]
    phrases: list = field(default_factory=list)  # per section: telling noun phrases
    topic: list = field(default_factory=list)  # facts naming the explainer's topic
    the: dict = field(default_factory=dict)  # name -> written after "the"

    @classmethod
    def of(cls, sections):
        inventory = cls(sections=sections)
        rarity = T.Rarity.of(sections)
        inventory.slots = {"clause": [], "verb": [], "noun": [], "main": []}
        verbs = verb_evidence(sections)
        where = set().union(*(T.places(text) for text in sections))
        for number, text in enumerate(sections):
            sentences = T.sentences(text)
            inventory.sentences.append(sentences)
            for definition in definitions(text):
                inventory.definitions.append((number, definition))
            telling = {}
            for sentence in sentences:
                for kind, value, _ in T.numbers(sentence):
                    inventory.facts.append(Fact(value, kind, number, sentence))
                for name, _ in T.names(sentence):
                    fact = Fact(name, T.name_kind(name, where), number, sentence)
                    if rarity(name.split()[-1]) >= TOPIC_RARITY:
                        inventory.facts.append(fact)
                    else:
                        inventory.topic.append(fact)
                for lead, items in T.series(sentence):
                    inventory.lists.append((number, sentence, lead, items))
                for phrase, at in T.noun_phrases(sentence):
                    words = phrase.split()
                    # A single word blanked out ("harmless or _____") mostly tests a
                    # filler: only a word rare in English ("transduction") is kept.
                    single = len(words) == 1 and T.english_zipf(phrase) < SINGLE_ZIPF
                    weak = len(words) == 1 and not single and len(phrase) >= 5
                    if (
                        (single or weak or 2 <= len(words) <= 4)
                        and not re.search(r"\d", phrase)  # "mid-15th century" is a date
                        and not phrase[0].isupper()
                        and complete(phrase)
                        and nominal(phrase, verbs)
                    ):
                        score = sum(rarity(w) for w in words) / len(words)
                        weak = weak or at == 0  # a sentence's opening words may run into its verb
                        telling[phrase.lower()] = (score - 10 * weak, phrase, sentence, weak)
                plain = T.without_connector(sentence).rstrip(".")
                match = CAUSE.match(plain) or CAUSE_FIRST.match(plain) or RESULT.match(plain)
                if match:
                    marker = match.groupdict().get("marker") or "because"
                    what = clause(match.group("what"))
                    if what:
                        inventory.slots[MARKER_SLOT[marker]].append((number, what, sentence))
                main = plain.split(", ")[0]
                if 5 <= len(main.split()) <= 14 and not main.lower().startswith(SUBORDINATORS):
                    inventory.slots["main"].append((number, T.decapitalise(main), sentence))
                for verb_phrase in INFINITIVE.findall(plain):
                    what = clause(verb_phrase, 12)
                    if what and what.split()[0] not in T.STOP:
                        inventory.slots["verb"].append((number, what, sentence))
            best = sorted(telling.values(), key=lambda entry: (-entry[0], entry[1]))
            inventory.phrases.append([(p, sentence) for _, p, sentence, weak in best if not weak])
            for _, phrase, sentence, weak in best[:PHRASES_PER_SECTION]:
                inventory.facts.append(Fact(phrase, "phrase", number, sentence, weak=weak))
                if not weak:
                    inventory.slots["noun"].append((number, phrase, sentence))
        return inventory

    def with_the(self, name):
        """Whether the explainer writes this name after "the" ("the Reformation")."""
        if name[:1].isdigit() or not name[:1].isupper():
            return False
        if name not in self.the:
            pattern = rf"\b[Tt]he {re.escape(name)}\b"
            self.the[name] = any(re.search(pattern, " ".join(s)) for s in self.sentences)
        return self.the[name]

    def alternatives(
        self,
        kind,
        section,
        key,
        sentence,
        *,
        want=CHOICES - 1,
        exclude=(),
        kin=False,
        same_shape=True,
    ):
        """Texts of the same kind as `key` from other sections, that the key's own
        sentence and section do not name: never the key restated."""
        own_section = " ".join(self.sentences[section]).lower()
        avoid = {key.lower(), *(e.lower() for e in exclude)}
        found, seen, context = [], set(), {}
        # Names of places and actors come whole or as acronyms ("Russia", "NATO"):
        # the other form is a fallback when the explainer names too few of one.
        kinds = [kind, *(KIN.get(kind, []) if kin else [])]
        for wanted_kind in kinds:
            if len(found) >= want and wanted_kind != kind:
                break
            for fact in [*self.facts, *self.topic]:
                text = fact.text
                low = text.lower()
                if fact.kind != wanted_kind or fact.section == section or fact.weak:
                    continue
                if low in avoid or low in seen:
                    continue
                if low in own_section or key.lower() in low or low in key.lower():
                    continue
                seen.add(low)
                found.append(text)
                context[text] = (wanted_kind != kind, fact.sentence)
        if kind == "phrase":
            plural, form = _plural(key), T.shape(key)
            found = [
                text
                for text in found
                if _plural(text) == plural
                and complete(text)
                and (T.shape(text) == form or not same_shape)
            ]
        # Of the same kind, those from sentences about the same things first: a
        # distractor from a nearby idea is one a skimming reader could believe.
        near = _content(sentence)

        def order(text):
            is_kin, source = context[text]
            return (is_kin, -len(near & _content(source)), _digest(key, text), text)

        found.sort(key=order)
        return _length_matched(found[: want * 3], key, want)


KIN = {"name": ["acronym", "place"], "acronym": ["name", "place"], "place": ["name", "acronym"]}


def _explain(sentence, why):
    return f"The explainer says: {QUOTE.format(sentence)} {why}"


def _single(inventory, section, *, family, prompt, key, distractors, sentence, why):
    if len(distractors) < CHOICES - 1:
        return None
    choices = [(key, True), *((d, False) for d in distractors[: CHOICES - 1])]
    return Draft(
        prompt=prompt,
        kind="single",
        choices=arrange(choices, prompt),
        explanation=_explain(sentence, why),
        source_passage=sentence,
        family=family,
    )


def _filler_numbers(kind, value):
    """Numbers of the same kind near a number the explainer names, for when it names
    too few others: a wrong year or count is not a fact from outside the text."""
    bare = re.sub(r"(?:%| per ?cent| million| billion|th|st|nd|rd|s)+$", "", value)
    digits = bare.replace(",", "")
    try:
        number = float(digits)
    except ValueError:
        return []
    unit = value[len(bare) :]
    if kind == "year":
        steps = [-10, 5, 15, -3]
    elif kind == "decade":
        steps = [-20, 30, 50]
    elif kind in ("century", "ordinal"):
        steps = [-2, 1, 3]
    elif kind == "percent":
        steps = [-20, 15, 25, -10]
    else:
        steps = [number * f - number for f in (0.5, 2, 1.5, 3)]
    found = []
    for step in steps:
        other = number + step
        if other <= 0 or other == number:
            continue
        text = (
            f"{other:g}"
            if "." in digits
            else f"{int(round(other)):,}"
            if "," in value
            else str(int(round(other)))
        )
        if kind in ("century", "ordinal"):
            n = int(other)
            unit = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        found.append(text + unit)
    return found


MIN_SHOWN = 5  # words of a cloze, the blank among them: enough to stand alone
WINDOW = 12  # words either side of a blank: two blanks from one sentence may not show each other


MASK = "[…]"
MAX_MASKS = 3
MAX_MASKED_WORDS = 32


def _masked(blanked, avoid):
    """The whole sentence, with the other keys it holds hidden as "[…]", when that
    leaves it readable: a full sentence stands alone better than a clipped one."""
    masked, masks = blanked, 0
    for other in sorted(avoid, key=len, reverse=True):
        pattern = rf"(?<![\w-]){re.escape(other)}(?![\w-])"
        masked, n = re.subn(pattern, MASK, masked)
        masks += n
    hidden = set().union(*(_content(other) for other in avoid)) if avoid else set()
    visible = _content(masked.replace(BLANK, "").replace(MASK, ""))
    if masks > MAX_MASKS or hidden & visible or len(masked.split()) > MAX_MASKED_WORDS:
        return ""
    return masked


def _cloze(sentence, key, avoid=()):
    """The sentence with `key` blanked out and the other keys hidden, or ''."""
    blanked = re.sub(rf"(?<![\w-]){re.escape(key)}(?![\w-])", BLANK, sentence, count=1)
    if BLANK not in blanked or key.lower() in blanked.lower():
        return ""
    return _masked(blanked, avoid) if avoid else blanked


def _window(sentence, key, avoid=()):
    """The words around the blanked `key`, short of the sentence's other keys; or ''."""
    blanked = re.sub(rf"(?<![\w-]){re.escape(key)}(?![\w-])", BLANK, sentence, count=1)
    if BLANK not in blanked or key.lower() in blanked.lower():
        return ""
    words = blanked.split(" ")
    at = next(i for i, word in enumerate(words) if BLANK in word)
    start, end = max(0, at - WINDOW), min(len(words), at + WINDOW + 1)
    # Widen to a clause's edge when it is near, so the words read as a phrase.
    for i in range(start, at):
        if words[i].endswith((",", ";", ":")) and at - i <= WINDOW:
            start = i + 1
            break
    for i in range(at, end):
        if words[i].endswith((",", ";", ":")) and i - at >= 3:
            end = i + 1
            break
    # Stop short of the sentence's other keys: a blank never shows another's answer.
    # Not even a word of them: "their own security …" half shows "security strategies".
    hidden = set().union(*(_content(other) for other in avoid)) if avoid else set()

    def shows(first, last):
        return bool(hidden & _content(" ".join(words[first:last]).replace(BLANK, "")))

    while start < at and shows(start, at):
        start += 1
    while end > at + 1 and shows(at + 1, end):
        end -= 1

    # Too few words that mean something ("while others, like _____"): reach back
    # past the clause's edge, never over another key.
    def meaningful(first):
        return len(_content(" ".join(words[first:end]).replace(BLANK, ""))) >= 2

    while start > 0 and not meaningful(start):
        if shows(start - 1, at):
            break
        start -= 1
    shown = " ".join(words[start:end]).rstrip(",;: ")
    if len(shown.split()) < MIN_SHOWN or not meaningful(start):
        return ""
    lead = "" if start == 0 else "… "
    tail = "" if end == len(words) else " …"
    return lead + shown + tail


def own_words(inventory, section, fact):
    """The section's text outside the fact's sentence: a phrase it repeats is given
    away by the rest of the lesson."""
    return " ".join(s for s in inventory.sentences[section] if s != fact.sentence).lower()


def reason_keys(sentence):
    """What a purpose or cause question on this sentence asks for: a blank beside it
    must not show it."""
    plain = T.without_connector(sentence).rstrip(".")
    found = []
    for pattern in (PURPOSE, AIMS, CAUSE, CAUSE_FIRST, RESULT):
        match = pattern.match(plain)
        if match and clause(match.group("what")):
            found.append(clause(match.group("what")))
    return found


def details(inventory, section):
    """Numbers, dates, places and actors blanked out of their sentence."""
    for fact in [*inventory.facts, *inventory.topic]:
        if fact.section != section:
            continue
        avoid = [
            other.text
            for other in inventory.facts
            if other.sentence == fact.sentence
            and other.text.lower() not in fact.text.lower()
            and not other.weak  # a last resort never narrows a better blank
        ]
        avoid += [key for key in reason_keys(fact.sentence) if fact.text not in key]
        # The whole sentence with the other keys hidden, or the words around the blank
        # short of them, or the whole sentence: the gate keeps whichever fits the pool.
        clozes = [_cloze(fact.sentence, fact.text, avoid), _window(fact.sentence, fact.text, avoid)]
        clozes = [c for c in dict.fromkeys(clozes) if c] or [_cloze(fact.sentence, fact.text)]
        clozes = [c for c in clozes if c]
        if not clozes:
            continue
        others = inventory.alternatives(
            fact.kind, section, fact.text, fact.sentence, want=CHOICES + 3, kin=True
        )
        unlike = False
        if fact.kind == "phrase" and len(others) < CHOICES - 1:
            # Too few phrases of its shape: others, as a marked last resort.
            others = inventory.alternatives(
                fact.kind, section, fact.text, fact.sentence, want=CHOICES + 3, same_shape=False
            )
            unlike = True
        if fact.kind == "phrase" and fact.text.lower() in own_words(inventory, section, fact):
            continue
        # Distractors that share no word with the section's other keys: a stray
        # "increased" beside "presence" would hint at another blank's answer.
        siblings = set()
        for other in [*inventory.facts, *inventory.topic]:
            if other.section == section and other.text != fact.text:
                siblings |= _content(other.text)
        apart = [o for o in others if not _content(o) & siblings]
        others = (apart if len(apart) >= CHOICES - 1 else others)[: CHOICES - 1]
        if fact.kind in ("year", "decade", "century", "ordinal", "percent", "count"):
            known = {fact.text, *others}
            others += [n for n in _filler_numbers(fact.kind, fact.text) if n not in known]
        family = "term" if fact.kind == "phrase" else "detail"
        if fact in inventory.topic:
            family = "topic"
        if fact.weak or unlike:
            family = "filler"
        for cloze in clozes:
            draft = _single(
                inventory,
                section,
                family=family,
                prompt="Which words complete this sentence from the explainer? "
                + QUOTE.format(cloze),
                key=fact.text,
                distractors=others,
                sentence=fact.sentence,
                why=f"The missing words are {QUOTE.format(fact.text)}.",
            )
            if draft:
                yield draft


def _meanings(inventory, section, definition):
    return [
        T.capitalise(other.meaning)
        for number, other in inventory.definitions
        if number != section and other.term.lower() not in definition.meaning.lower()
    ]


def defined_terms(inventory, section):
    """What a term means, and which term the explainer uses for a meaning."""
    for number, definition in inventory.definitions:
        if number != section:
            continue
        term = shown(definition.term, definition.sentence)
        meanings = _meanings(inventory, section, definition)
        if len(meanings) >= CHOICES - 1 and len(definition.meaning.split()) <= 30:
            draft = _single(
                inventory,
                section,
                family="definition",
                prompt=f"What does the explainer mean by {term}?",
                key=T.capitalise(definition.meaning),
                distractors=sorted(meanings, key=lambda m: (_digest(term, m), m)),
                sentence=definition.sentence,
                why=f"That is what it means by {term}.",
            )
            if draft:
                yield draft
        kind = "acronym" if definition.term.isupper() else "phrase"
        others = [
            other.term
            for n, other in inventory.definitions
            if n != section and other.term.isupper() == definition.term.isupper()
        ]
        others += inventory.alternatives(kind, section, definition.term, definition.sentence)
        meaning = T.decapitalise(definition.meaning)
        first = meaning.split()[0]
        known = {fact.text for fact in [*inventory.facts, *inventory.topic]}
        if definition.clause and first[1:].islower() and first not in known:
            meaning = meaning[:1].lower() + meaning[1:]  # "when bacteria swap ..."
        if definition.term.lower() in meaning.lower() or len(meaning.split()) > 30:
            continue
        draft = _single(
            inventory,
            section,
            family="definition",
            prompt=f"What does the explainer call it when {meaning}?"
            if definition.clause
            else f"Which term does the explainer use for {meaning}?",
            key=definition.term,
            distractors=list(
                dict.fromkeys(o for o in others if o.lower() != definition.term.lower())
            ),
            sentence=definition.sentence,
            why=f"That is the term it uses for {meaning}.",
        )
        if draft:
            yield draft


def _reasons(inventory, section, slot, key, subject=""):
    """Reasons or purposes of the same form from other sections; none from a sentence
    about the question's own subject, which may well be true of it too ("CBAM is
    designed to comply with trade law" is no wrong answer to what CBAM is for)."""
    mine = _content(key)
    about = _content(subject)
    found = []
    for number, text, source in inventory.slots[slot]:
        if number == section or text.lower() == key.lower():
            continue
        if about and about & _content(" ".join(source.split()[:6])):
            continue  # a sentence whose subject is the question's subject
        theirs = _content(text)
        if not theirs or len(theirs & mine) / len(theirs) > 0.5:
            continue  # too close to the key: it may say the same thing
        found.append(text)
    found = list(dict.fromkeys(found))
    found.sort(key=lambda text: (_digest(key, text), text))
    if slot == "clause" and len(found) < CHOICES - 1:
        # Few reasons elsewhere: other sections' main clauses, of the same form.
        more = _reasons(inventory, section, "main", key, subject)
        found += [text for text in more if text not in found]
    return found


def _length_matched(options, key, want=CHOICES - 1):
    """Of `options`, the `want` closest in length to the key: no key stands out."""
    ranked = sorted(options, key=lambda text: (abs(len(text) - len(key)), _digest(key, text)))
    return ranked[:want]


def reasons(inventory, section):
    """Why and what for: purposes ("is designed to") and causes ("because")."""
    for sentence in inventory.sentences[section]:
        plain = T.without_connector(sentence).rstrip(".")
        match = PURPOSE.match(plain)
        if match:
            what = clause(match.group("what"))
            subject = T.decapitalise(match.group("subject"))
            subject = re.sub(r"^(?:this|these|its) ", "the ", subject)
            if what and len(subject.split()) <= 10:
                reasons_ = _reasons(inventory, section, "verb", what, subject)
                options = _length_matched(reasons_, what)
                draft = _single(
                    inventory,
                    section,
                    family="purpose",
                    prompt=f"According to the explainer, what {match.group('verb')} {subject} "
                    f"{match.group('how')} to do?",
                    key=T.capitalise(what),
                    distractors=[T.capitalise(o) for o in options],
                    sentence=sentence,
                    why="That is the purpose it gives.",
                )
                if draft:
                    yield draft
        match = AIMS.match(plain)
        if match:
            what = clause(match.group("what"))
            subject = re.sub(
                r"^(?:this|these|its) ", "the ", T.decapitalise(match.group("subject"))
            )
            if what and len(subject.split()) <= 8:
                reasons_ = _reasons(inventory, section, "verb", what, subject)
                options = _length_matched(reasons_, what)
                verb = (
                    "do" if T.stem(subject.split()[-1]) != subject.split()[-1].lower() else "does"
                )
                draft = _single(
                    inventory,
                    section,
                    family="purpose",
                    prompt=f"According to the explainer, what {verb} {subject} aim to do?",
                    key=T.capitalise(what),
                    distractors=[T.capitalise(o) for o in options],
                    sentence=sentence,
                    why="That is the aim it gives.",
                )
                if draft:
                    yield draft
        match = CAUSE.match(plain) or CAUSE_FIRST.match(plain) or RESULT.match(plain)
        if match:
            marker = match.groupdict().get("marker") or "because"
            what = clause(match.group("what"))
            head = match.group("head").rstrip(" ,")
            if not what or len(head.split()) > 30:
                continue
            slot = MARKER_SLOT[marker]
            options = _length_matched(_reasons(inventory, section, slot, what), what)
            lead = T.capitalise(head) if match.re is CAUSE else T.capitalise(head)
            draft = _single(
                inventory,
                section,
                family="cause",
                prompt="Which words complete the explainer's reasoning? "
                + QUOTE.format(f"{lead}{',' if marker == 'so' else ''} {marker} {BLANK}."),
                key=what,
                distractors=options,
                sentence=sentence,
                why=f"It gives this reason: {QUOTE.format(what)}.",
            )
            if draft:
                yield draft


def _list_lead(lead):
    words = lead.split()
    if len(words) > 22:
        lead = lead.split(", ")[-1]
    return lead


def lists(inventory, section):
    """Members of a list the text gives, against items of other lists and names."""
    for number, sentence, lead, items in inventory.lists:
        if number != section:
            continue
        if sentence.startswith(items[0]) and all(not i[:1].isupper() for i in items[1:]):
            items = [
                T.decapitalise(items[0])
                if items[0].split()[0].lower() in T.STOP
                else items[0][:1].lower() + items[0][1:],
                *items[1:],
            ]
        capitalised = items[0][:1].isupper()
        pool = [
            item
            for n, _, _, others in inventory.lists
            if n != section
            for item in others
            if item[:1].isupper() == capitalised
        ]
        kind = "name" if capitalised else "phrase"
        pool += inventory.alternatives(kind, section, items[0], sentence, want=12, exclude=items)
        own = " ".join(inventory.sentences[section]).lower()
        pool = [p for p in dict.fromkeys(pool) if p.lower() not in own and complete(p)]
        lead = _list_lead(lead)
        if len(lead.split()) >= 3:
            quoted = QUOTE.format(f"{T.capitalise(lead)} …")
        else:
            tail = sentence[sentence.rfind(items[-1]) + len(items[-1]) :].strip(" ,")
            if len(tail.split()) < 3:
                continue
            quoted = QUOTE.format(f"… {tail}")
        many = len(items) >= 4
        keys = [items[i] for i in ((0, len(items) // 2, -1) if many else (0, -1))]
        if len(pool) >= CHOICES - len(keys):
            wrong = _length_matched(pool, keys[-1], want=CHOICES - len(keys))
            choices = [*((k, True) for k in keys), *((w, False) for w in wrong)]
            prompt = (
                f"The explainer says: {quoted} Which of these does it name there? "
                "Select all that apply."
            )
            yield Draft(
                prompt=prompt,
                kind="multiple",
                choices=arrange(choices, prompt),
                explanation=_explain(
                    sentence,
                    f"It names {', '.join(keys)}; the other choices come from other parts "
                    "of the explainer.",
                ),
                source_passage=sentence,
                family="list",
            )
        key = items[_digest(sentence) % len(items)]
        draft = _single(
            inventory,
            section,
            family="list",
            prompt=f"The explainer says: {quoted} Which of these is one of the things it "
            "names there?",
            key=key,
            distractors=_length_matched(pool, key),
            sentence=sentence,
            why=f"{QUOTE.format(key)} is one of the things it names.",
        )
        if draft:
            yield draft


def _swapped(sentence, fact, other):
    """`sentence` with `other` in place of the fact, its article made to agree."""

    def put(match):
        article = match.group(1)
        if article:
            vowel = other[:1].lower() in "aeiou"
            article = ("an " if vowel else "a ") if article.lower() in ("a ", "an ") else article
            article = T.capitalise(article) if match.group(1)[:1].isupper() else article
        return (article or "") + other

    pattern = rf"(?<![\w-])((?:[Aa]n? )?){re.escape(fact.text)}(?![\w-])"
    return re.sub(pattern, put, sentence)


def _statement(sentence, key):
    """The clause of `sentence` that holds `key`, as a statement of its own."""
    plain = T.without_connector(sentence).rstrip(".!?")
    first = clause(plain, 28)
    if first and key in first:
        return T.capitalise(first) + "."
    if key in plain and len(plain.split()) <= 30:
        return T.capitalise(plain) + "."
    for part in re.split(r", (?:and|but|while|as|so) |; ", plain)[1:]:
        if (
            key in part
            and 6 <= len(part.split()) <= 24
            and not part[:1].isupper()
            or (key in part and part.split()[0] == key.split()[0])
        ):
            return T.capitalise(part.rstrip(" ,")) + "."
    return ""


def statements(inventory, section):
    """Which statement the explainer makes: the true one against copies with one
    name, number or term swapped for another of the same kind from the text."""
    facts = [
        fact
        for fact in inventory.facts
        if fact.section == section
        # Swapping a name or a number makes a false claim of the same shape; swapping
        # a phrase mostly makes nonsense ("little shade during the power plants").
        and fact.kind in ("name", "place", "acronym", "year", "count", "percent")
    ]
    true_ones = []
    for fact in facts:
        statement = _statement(fact.sentence, fact.text)
        if not statement or fact.text not in statement:
            continue
        others = inventory.alternatives(
            fact.kind, section, fact.text, fact.sentence, want=CHOICES + 3
        )
        # "the Reformation" for "the Martin Luther" makes nonsense: a name swaps only
        # for one the explainer also writes with (or without) "the".
        others = [o for o in others if inventory.with_the(o) == inventory.with_the(fact.text)]
        if fact.kind in ("year", "count", "percent"):
            others += _filler_numbers(fact.kind, fact.text)
        if fact.kind == "people" or fact.text.lower() in own_words(inventory, section, fact):
            continue
        false = [_swapped(statement, fact, other) for other in others]
        false = [f for f in dict.fromkeys(false) if f != statement][: CHOICES - 1]
        true_ones.append((statement, fact, false))
        draft = _single(
            inventory,
            section,
            family="statement",
            prompt="Which of these does the explainer say?",
            key=statement,
            distractors=false,
            sentence=fact.sentence,
            why=f"The other choices put something else in place of {QUOTE.format(fact.text)}.",
        )
        if draft:
            yield draft
    # Select all: true statements against copies with one thing swapped. From one
    # sentence (fewer clashes with the section's other drafts) or from two.
    by_sentence = {}
    for statement, fact, false in true_ones:
        if false:
            by_sentence.setdefault(fact.sentence, []).append((statement, fact, false))
    prompt = "Which of these does the explainer say? Select all that apply."
    for sentence, found in by_sentence.items():
        trues = list({statement: (statement, fact, false) for statement, fact, false in found})
        if len(trues) >= 2:  # two clauses of one sentence, each with a false copy
            (s1, f1, false1), (s2, f2, false2) = (
                next(entry for entry in found if entry[0] == trues[0]),
                next(entry for entry in found if entry[0] == trues[1]),
            )
            choices = [(s1, True), (s2, True), (false1[0], False), (false2[0], False)]
            changed = f"{QUOTE.format(f1.text)} and {QUOTE.format(f2.text)}"
        else:
            falses = []
            for _, fact, false in found:
                falses += [(f, fact) for f in false[:1]]
            for _, fact, false in found:
                falses += [(f, fact) for f in false[1:]]
            falses = list({f: (f, fact) for f, fact in reversed(falses)}.values())[::-1]
            falses = falses[: CHOICES - 1]
            if len(falses) < CHOICES - 1:
                continue
            s1, f1 = found[0][0], found[0][1]
            choices = [(s1, True), *((f, False) for f, _ in falses)]
            names = list(dict.fromkeys(fact.text for _, fact in falses))
            changed = " and ".join(QUOTE.format(n) for n in names)
        yield Draft(
            prompt=prompt,
            kind="multiple",
            choices=arrange(choices, prompt + s1),
            explanation=_explain(sentence, "")
            + f" The wrong choices put other words from the explainer in place of {changed}.",
            source_passage=sentence,
            family="statements",
        )
    picked = [entries[0] for entries in by_sentence.values()][:2]
    if len(picked) == 2:
        (s1, f1, false1), (s2, f2, false2) = picked
        choices = [(s1, True), (s2, True), (false1[0], False), (false2[0], False)]
        yield Draft(
            prompt=prompt,
            kind="multiple",
            choices=arrange(choices, prompt + s1),
            explanation=_explain(f1.sentence, "")
            + f" It also says: {QUOTE.format(f2.sentence)} The other choices change "
            f"{QUOTE.format(f1.text)} and {QUOTE.format(f2.text)}.",
            source_passage=f1.sentence,
            family="statements",
        )


SUBJECT = re.compile(
    r"^(?P<subject>(?:The |A |An )?[\w'’-]+(?: [\w'’-]+){0,4}?) "
    r"(?P<verb>has|have|had|is|are|was|were|can|could|may|might|will|would|"
    r"[a-z]+ed|[a-z]+s) (?P<rest>[a-z][^;:]+)$"
)


def subjects(inventory, section):
    """Who or what the sentence is about, asked from what it says of them."""
    for sentence in inventory.sentences[section]:
        plain = T.without_connector(sentence).rstrip(".")
        match = SUBJECT.match(plain)
        if not match or "," in match.group("subject"):
            continue
        subject = match.group("subject")
        words = subject.split()
        if words[0].lower() in T.STOP - {"the", "a", "an"} or words[-1].lower() in T.STOP:
            continue
        verb = match.group("verb")
        if verb.endswith("s") and verb not in ("has", "is", "was") and verb not in T.VERBS_S:
            continue  # not known as a verb: "carbon emissions" is not "carbon emits"
        bare = re.sub(r"^(?:The|A|An) ", "", subject)
        names = [name for name, at in T.names(plain) if at == plain.find(bare)]
        kind = T.name_kind(bare) if names and names[0] == bare else "phrase"
        if kind == "phrase" and bare not in [p for p, _ in T.noun_phrases(plain)]:
            continue
        rest = clause(match.group("rest"), 18)
        if not rest or not complete(rest) or bare.lower() in rest.lower():
            continue
        others = inventory.alternatives(kind, section, bare, sentence)
        article = subject[: len(subject) - len(bare)]
        draft = _single(
            inventory,
            section,
            family="subject",
            prompt=f"According to the explainer, which of these {verb} {rest}?",
            key=T.capitalise(article.lower() + bare) if article else bare,
            distractors=[T.capitalise(article.lower() + o) if article else o for o in others],
            sentence=sentence,
            why=f"It says this of {article.lower()}{bare}.",
        )
        if draft:
            yield draft


# Names, dates and telling phrases: "full system" or "crucial role" is no thing a
# reader would remember being named.
MENTION_KINDS = ("name", "place", "people", "acronym", "year", "phrase")


def _named(inventory, section):
    """The things a section names that a question may list: names and dates first."""
    named = []
    for fact in inventory.facts:
        if fact.section != section or fact.kind not in MENTION_KINDS:
            continue
        if fact.kind == "phrase" and (fact.weak or not T.telling(fact.text)):
            continue
        if all(fact.text.lower() != f.text.lower() for f in named):
            named.append(fact)
    named.sort(key=lambda f: f.kind == "phrase")
    return named


# The quiz follows its lesson, so "this part" names the section without showing any
# of its words (which another question's blank may be asking for).
THIS_PART = "this part of the explainer"


def mentions(inventory, section):
    """Select all: which of these the section names, against things of the same kind
    that only other sections name. It shows no sentence, so it fits beside blanks."""
    facts = _named(inventory, section)
    pairs = list(pairwise(facts))[:4]
    # The explainer's topic names as a last pair: true, and beside no blank.
    topic = list({f.text: f for f in inventory.topic if f.section == section}.values())
    if len(topic) >= 2:
        pairs.append((topic[0], topic[1]))
    for first, second in pairs:
        if _content(first.text) & _content(second.text):
            continue  # "pledges" beside "military assistance pledges": one thing twice
        wrong = []
        for fact in (first, second):
            others = inventory.alternatives(
                fact.kind, section, fact.text, fact.sentence, want=2, exclude=wrong
            )
            wrong += [o for o in others if o not in wrong][:1]
        if len(wrong) < 2:
            continue
        prompt = f"Which of these does {THIS_PART} name? Select all that apply."
        quoted = " ".join(dict.fromkeys(QUOTE.format(f.sentence) for f in (first, second)))
        yield Draft(
            prompt=prompt,
            kind="multiple",
            choices=arrange(
                [(first.text, True), (second.text, True), *((w, False) for w in wrong)],
                prompt + first.text + second.text,
            ),
            explanation=f"The explainer says: {quoted} It names {QUOTE.format(first.text)} "
            f"and {QUOTE.format(second.text)}; the other choices come from other parts of it.",
            source_passage=first.sentence,
            family="mentions",
        )


def not_named(inventory, section):
    """Which one the section does NOT name: three things it names, and one of the same
    kind that only another section names. Its stem shows no sentence either."""
    named = _named(inventory, section)
    if len(named) < CHOICES - 1:
        return
    for offset in range(min(2, len(named) - CHOICES + 2)):
        shown = named[offset : offset + CHOICES - 1]
        for fact in shown:
            foreign = inventory.alternatives(
                fact.kind,
                section,
                fact.text,
                fact.sentence,
                want=1,
                exclude=[f.text for f in named],
            )
            if foreign:
                break
        if not foreign:
            continue
        prompt = f"Which of these does {THIS_PART} NOT name?"
        choices = [(foreign[0], True), *((f.text, False) for f in shown)]
        quoted = " ".join(dict.fromkeys(QUOTE.format(f.sentence) for f in shown))
        yield Draft(
            prompt=prompt,
            kind="single",
            choices=arrange(choices, prompt + foreign[0]),
            explanation=f"The explainer says: {quoted} It names "
            + ", ".join(QUOTE.format(f.text) for f in shown)
            + f", but {QUOTE.format(foreign[0])} comes from another part of it.",
            source_passage=shown[0].sentence,
            family="not-named",
        )


GENERATORS = [
    defined_terms,
    reasons,
    lists,
    details,
    statements,
    subjects,
    mentions,
    not_named,
]


class TextEngine:
    """Candidates from the explainer's own words: see the module's docstring."""

    name = "text"

    def candidates(self, sections):
        inventory = Inventory.of(sections)
        return [
            [draft for generate in GENERATORS for draft in generate(inventory, number)]
            for number in range(len(sections))
        ]
