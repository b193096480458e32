"""A lesson derived from one section of an explainer, from that section's text alone:
a title, a one-sentence summary, two to four key points and a glossary of the terms
the explainer defines. Pure: the body is the section, unchanged."""

import re
from collections import Counter
from dataclasses import dataclass, field

from . import text as T

MAX_TITLE_WORDS = 8
TERM = r"[\"'‘“]?([A-Za-z][\w'’ -]{1,50}?)[\"'’”]?"


@dataclass(frozen=True)
class Definition:
    term: str
    meaning: str
    sentence: str
    clause: bool = False  # the meaning is what happens ("bacteria swap genes"), not a thing


@dataclass
class DerivedLesson:
    title: str
    summary: str
    key_points: list
    glossary: list = field(default_factory=list)  # of Definition
    titled_by_heading: bool = True


def _short_term(term):
    term = T.clean_phrase(term)
    if term.lower().startswith("the "):
        term = term[4:]
    words = term.split()
    if not 1 <= len(words) <= 6 or words[0].lower() in T.STOP:
        return ""
    return term


def _meaning(text):
    """A definition's words, up to where the sentence moves on."""
    text = re.split(r"[;]|, (?:which|while|but|and it|so)\b|\. ", text)[0]
    return T.clean_phrase(text)


def _noun_phrase_before(text):
    """The noun phrase that ends `text` ('Others use molecular pumps' -> 'molecular pumps')."""
    words = text.rstrip(" ,").split()
    kept = []
    for word in reversed(words):
        bare = word.strip(",;:'\"‘’“”").lower()
        if kept and (bare in T.STOP - {"the", "a", "an", "of", "and"} or word.endswith(",")):
            break
        kept.insert(0, word)
        if len(kept) >= 7:
            break
    while kept and kept[0].strip(",").lower() in ("of", "and", "the", "a", "an"):
        kept.pop(0)
    return T.clean_phrase(" ".join(kept))


# Each pattern finds (term, meaning) in the ways explainers define words.
PATTERNS = [
    # "The 'coalition of the willing' refers to a group of ..."
    (
        re.compile(
            rf"^(?:The |A |An )?{TERM} "
            r"(?:refers to|means|is defined as|is the name for|involves?) (?!that\b)(.+)"
        ),
        "tm",
    ),
    # "An urban heat island is a city or district that is warmer than ..."
    (
        re.compile(
            r"^(?:An?|The) ([a-z][\w-]*(?: [a-z][\w-]*){0,3}) (?:is|are) (an? [a-z][^,;]{3,60}?"
            r" (?:that|which|where|who) [^;]+)"
        ),
        "tm",
    ),
    # "... with their neighbours, a process called horizontal gene transfer."
    (
        re.compile(
            r"^(.+), an? (?:process|practice|method|technique|system|concept|approach|condition) "
            r"(?:called|known as) ([\w'’ -]{3,40}?)(?:[,.]|$)"
        ),
        "ct",
    ),
    # "a measure known as albedo, which runs from zero for ..." -> "a measure that runs ..."
    (
        re.compile(
            r"\b(an? \w+) (?:known as|called) ([a-z][\w-]+), "
            r"which (?!refers to|means|describes)(.+)"
        ),
        "ntc",
    ),
    # "... what economists call carbon leakage: the risk that ..."
    (
        re.compile(
            r"\bwhat (?:\w+ ){0,2}(?:call|calls|describe as) "
            r"[\"'‘“]?([\w'’ -]{3,50}?)[\"'’”]?[:,] (.+)"
        ),
        "tm",
    ),
    # "a concept known as embedded emissions, which refers to the gases ..."
    (re.compile(rf"\b(?:known as|called) {TERM}, which (?:refers to|means|describes) (.+)"), "tm"),
    # "MRSA, which stands for methicillin-resistant Staphylococcus aureus"
    (re.compile(r"\b([A-Z][A-Za-z]{1,9}), which stands for ([^,;.]+)"), "tm"),
    # "the EU Emissions Trading System, known as the EU ETS," / "..., usually shortened to CBAM"
    (
        re.compile(
            r"^(.+?), (?:known as|usually shortened to|often shortened to|or) "
            r"(?:the )?([A-Z][\w-]+(?: [A-Z][\w-]+)*)\b"
        ),
        "mt",
    ),
    # "Bacteria that resist several antibiotics are often called 'superbugs'."
    (
        re.compile(
            r"^(.+?) (?:is|are) (?:often |usually |commonly |sometimes )?(?:called|known as) "
            r"[\"'‘“]([^\"'’”]{3,40})[\"'’”]"
        ),
        "st",
    ),
    # "The broader problem, which also includes ..., is known as antimicrobial resistance"
    (
        re.compile(
            r"^(.+?) (?:is|are) (?:often |usually |commonly )?known as "
            r"([a-z][\w -]{3,40}?)(?:,|\.|$)"
        ),
        "st",
    ),
    # "vernacular languages, meaning the everyday languages people spoke"
    # "small loops of DNA known as plasmids", "enzymes called beta-lactamases"
    (
        re.compile(r"^(.*?[a-z]) (?:called|known as) ([a-z][\w-]+(?: [a-z][\w-]+)?)\b(?! that)"),
        "mt4",
    ),
    (re.compile(r"\b([a-z][\w-]+ [a-z][\w-]+), meaning (?!that\b)(the [^,;.]+)"), "tm"),
]


def definitions(section_text):
    """The terms a section defines, each with its meaning and its sentence."""
    found, seen = [], set()
    for sentence in T.sentences(section_text):
        plain = T.without_connector(sentence).rstrip(".")
        for pattern, order in PATTERNS:
            for match in pattern.finditer(plain):
                first, second = match.group(1), match.group(2)
                term, meaning = (first, second) if order == "tm" else (second, first)
                if order == "ntc":  # "a measure known as albedo, which runs ..."
                    term, meaning = second, f"{first} that {match.group(3)}"
                term = _short_term(term)
                if order in ("tm", "ntc"):
                    meaning = _meaning(meaning)
                elif order == "st":  # the sentence's subject, without what leads into it
                    head = meaning.split(", which")[0]
                    meaning = T.clean_phrase(
                        head if ", which" in meaning else meaning.split(", ")[-1]
                    )
                elif order == "ct":  # the clause before the comma
                    meaning = T.clean_phrase(meaning.split(", ")[-1])
                else:
                    meaning = _noun_phrase_before(meaning)
                    if order == "mt4":
                        meaning = " ".join(meaning.split()[-4:])
                        if set(meaning.lower().split()) & T.VERBISH or re.search(r"\d", meaning):
                            continue
                meaning = re.sub(r"^(?:At the heart of \w+ is |The )", "", meaning) or meaning
                meaning = re.sub(r"^(?:and|or|but|so|means|refers to|describes) ", "", meaning)
                if not term or len(meaning.split()) < 2 or term.lower() in seen:
                    continue
                if term.lower() in meaning.lower():
                    continue
                seen.add(term.lower())
                found.append(
                    Definition(term=term, meaning=meaning, sentence=sentence, clause=order == "ct")
                )
    return found


def _is_plural(term):
    last = term.split()[-1].lower()
    return last.endswith("s") and not last.endswith(("ss", "us", "is", "sis"))


def shown(term, sentence):
    """A term as the text writes it, quoted if the text quotes it, with 'the' if the
    text gives it one, and in lower case where only its place made it a capital."""
    if sentence.lstrip("'‘\"“").startswith(term) and term[1:2].islower():
        if not any(w[:1].isupper() for w in term.split()[1:]):
            term = term[:1].lower() + term[1:]
    quoted = re.search(rf"['‘\"“]{re.escape(term)}['’\"”]", sentence, re.I)
    shown = f"'{term}'" if quoted else term
    if re.search(rf"\bthe ['‘\"“]?{re.escape(term)}", sentence, re.I):
        shown = "the " + shown
    return shown


def topic_phrases(section_text, rarity):
    """The section's phrases, most telling first: frequent here, rare elsewhere."""
    scores, first_seen = Counter(), {}
    for number, sentence in enumerate(T.sentences(section_text)):
        for phrase, at in T.noun_phrases(sentence):
            words = phrase.split()
            if len(words) > 5 or at == 0:
                continue  # a sentence's opening words as a title read as a cut sentence
            while len(words) > 1 and words[-1].lower().endswith(("ed", "ing", "ly", "'s", "’s")):
                words.pop()
            phrase = " ".join(words)
            weight = sum(rarity(w) for w in words) / len(words) ** 0.3
            key = phrase.lower()
            scores[key] += weight * (1.3 if number == 0 else 1.0)
            first_seen.setdefault(key, phrase)
    return [first_seen[key] for key, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))]


SUBJECT = re.compile(
    r"^(?P<subject>[\w'’-]+(?: [\w'’-]+){0,7}?) (?P<verb>has|have|had|is|are|was|were|"
    r"[a-z]+ed|(?P<s>[a-z]+s))\b"
)
LEAD_IN = re.compile(r"^(?:[A-Z][\w'’ -]{2,40}?), (?=[A-Z]|the |a |an )")


def _subject(sentence):
    """The noun phrase a sentence opens with, before its verb ("Military assistance
    pledges involve ..." -> "Military assistance pledges"), or ''."""
    plain = LEAD_IN.sub("", T.without_connector(sentence)).split(", ")[0]
    plain = plain[:1].upper() + plain[1:]
    match = SUBJECT.match(plain)
    if not match:
        return ""
    if match.group("s") and match.group("s") not in T.VERBS_S:
        return ""
    subject = match.group("subject")
    words = subject.split()
    first = words[0].lower()
    if first in T.STOP - {"the", "a", "an"} or words[-1].lower() in T.STOP:
        return ""
    if words[-1].lower().endswith(("ly", "'s", "’s")):
        return ""
    verb = match.group("verb")
    return (" ".join(words), "was" if verb in ("was", "were", "had") or verb.endswith("ed") else "")


def _as_question(subject, past):
    words = subject.split()
    article = ""
    if words[0].lower() in ("the", "a", "an"):
        article, words = "the ", words[1:]
    if not words or words[0].lower().endswith("ing") or len(words) > 6:
        return ""
    plural = _is_plural(" ".join(words).split(" of ")[0])
    verb = ("were" if plural else "was") if past else ("are" if plural else "is")
    if not article and words[0][:1].islower():
        article = ""
    return f"What {verb} {article}{T.decapitalise(' '.join(words))}?"


def _title(section, rarity, defined):
    sentences = T.sentences(section)
    if defined:
        term = defined[0].term
        if sentences[:2] and defined[0].sentence in sentences[:2]:
            verb = "are" if _is_plural(term) and not term.isupper() else "is"
            return f"What {verb} {shown(term, defined[0].sentence)}?"
    phrases = [
        p
        for p in topic_phrases(section, rarity)
        if not p[0].isdigit() and len(p.split()) >= 2 or (len(p) > 5 and p[:1].isupper())
    ]
    found = _subject(sentences[0]) if sentences else ""
    if found:
        subject, past = found
        bare = re.sub(r"^(?:The|the|A|a|An|an) ", "", subject)
        short = len(bare.split()) <= 2 or bare.split()[0].lower().endswith("ing")
        first = {p.lower() for p, _ in T.noun_phrases(sentences[0])}
        extra = next(
            (p for p in phrases if p.lower() in first and p.lower() not in subject.lower()), ""
        )
        if short and extra and len(bare.split()) + len(extra.split()) < MAX_TITLE_WORDS:
            return f"{T.capitalise(bare)} and {T.decapitalise(extra)}"
        question = _as_question(subject, past)
        if question and len(question.split()) <= MAX_TITLE_WORDS:
            return question
    for phrase in topic_phrases(section, rarity):
        words = phrase.split()
        if phrase[0].isdigit():
            continue
        if 2 <= len(words) <= MAX_TITLE_WORDS or (len(words) == 1 and len(phrase) > 5):
            return T.capitalise(phrase)
    return "About this section"


_DROPPABLE = [
    re.compile(r", (?:usually |often )?(?:shortened to|known as) (?:\S+ ){0,5}?\S+,"),
    re.compile(r" \([^)]*\)"),
    re.compile(r", [a-z]+ed (?:in|by|at|on|from|for|as|with) [^,]{3,80},"),  # ", developed in X,"
]
SUBORDINATE = re.compile(
    r"(?:Because|Although|When|If|As|While|Since|Unlike|Before|After|Though)\b"
)
_TAIL = re.compile(
    r", (?:including|such as|viewing|which|while|with|as well as|meaning|often)\b.*$"
)


def compress(sentence):
    """A shorter form of a sentence that says the same main thing, or the sentence."""
    short = T.without_connector(sentence).rstrip(".!?")
    for pattern in _DROPPABLE:
        short = pattern.sub(",", short)
    short = re.sub(r",( (?:is|are|was|were|has|have|had)\b)", r"\1", short)
    cut = _TAIL.sub("", short)
    if len(cut.split()) >= 6 and not SUBORDINATE.match(cut):
        short = cut
    if len(short.split()) > 24:
        for joint in ("; ", ", and ", ", but ", ", so ", ": "):
            head = short.split(joint)[0]
            if joint == ", and " and "," in head:
                continue  # inside a list, not between clauses
            if len(head.split()) >= 6 and head != short and not SUBORDINATE.match(head):
                short = head
                break
    return T.capitalise(short.strip(" ,")) + "."


def _importance(sentence, rarity, counts, position):
    words = T.content(sentence)
    if not words:
        return 0.0
    score = sum(rarity(w) * (1 + counts[w]) for w in set(words)) / len(words) ** 0.5
    if re.search(
        r"\b(because|so that|designed to|intended to|aims? to|to prevent|means|refers to|"
        r"known as)\b",
        sentence,
    ):
        score *= 1.2
    if re.match(r"(This|These|It|Such|They)\b", sentence):
        score *= 0.85  # leans on the sentence before
    return score * (1.1 if position == 0 else 1.0)


def _plain(sentence):
    return " ".join(re.sub(r"[^\w\s]", " ", T.without_connector(sentence).lower()).split())


def derive_lesson(section_text, *, heading="", rarity=None):
    sentences = T.sentences(section_text)
    rarity = rarity or T.Rarity.of([section_text])
    defined = definitions(section_text)
    counts = Counter(T.content(section_text))
    summary = compress(sentences[0])
    if summary.rstrip(".") == sentences[0].rstrip(".!?") and len(sentences) > 1:
        shortest = min(sentences[1:], key=lambda s: (len(s.split()), s))
        if len(shortest.split()) < len(sentences[0].split()):
            summary = compress(shortest)
    ranked = sorted(
        range(len(sentences)),
        key=lambda i: (-_importance(sentences[i], rarity, counts, i), i),
    )
    wanted = max(2, min(4, len(sentences) - 1))
    # A key point repeats a body sentence: never also the summary (no sentence thrice).
    said = _plain(summary)
    chosen = [i for i in ranked if _plain(sentences[i]) != said][:wanted]
    return DerivedLesson(
        title=heading or _title(section_text, rarity, defined),
        summary=summary,
        key_points=[T.without_connector(sentences[i]) for i in sorted(chosen)],
        glossary=defined,
        titled_by_heading=bool(heading),
    )


def derive_lessons(sections):
    """Lessons for every section, telling phrases judged across the whole explainer;
    two sections never share a title."""
    rarity = T.Rarity.of([section.text for section in sections])
    lessons, titles = [], Counter()
    for section in sections:
        lesson = derive_lesson(section.text, heading=section.heading, rarity=rarity)
        if titles[lesson.title.lower()] and not section.heading:
            for phrase in topic_phrases(section.text, rarity)[1:]:
                candidate = T.capitalise(phrase)
                if not titles[candidate.lower()] and len(phrase.split()) <= MAX_TITLE_WORDS:
                    lesson.title = candidate
                    break
        titles[lesson.title.lower()] += 1
        lessons.append(lesson)
    return lessons
