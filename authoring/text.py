"""What drafting and deriving read in an explainer's prose: words, phrases, names,
numbers and lists. Pure functions of text, from the standard library alone: the
explainer itself tells which words are distinctive (a word in every section is its
topic; a word in one section names what that section is about)."""

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .parsing import split_sentences

# Function words and the commonest verbs of news prose: never a topic, never a term.
STOP = frozenset(
    """a about above across after again against ago all almost along already also
    although always am among an and another any anyone anything are around as at
    away be became because become becomes been before began being below between
    both but by came can cannot could did do does doing done down during each
    either else enough even ever every few for from further gave get gets give
    given gives go goes going got had has have having he her here hers him his how
    however i if in into is it its itself just keep kept know known last later
    least less like likely made main mainly make makes making many may me might
    more most much must my near nearly neither never new next no nor not now of
    off often on once one only onto or other others otherwise our out over own
    part per perhaps put quite rather really said same say says see seen several
    shall she should since so some something soon still such take taken takes than
    that the their theirs them themselves then there therefore these they this
    those though through thus to together too took toward towards under unless
    unlike until up upon us use used uses using usually very via was way we well
    were what whatever when whenever where wherever whether which while who whom whose
    why will with within without would yet you your also including include includes included
    called means meant refers refer referred describes described example instance""".split()
)
CONNECTORS = (
    "however",
    "additionally",
    "in addition",
    "moreover",
    "furthermore",
    "in this case",
    "in fact",
    "indeed",
    "also",
    "meanwhile",
    "as a result",
    "for example",
    "for instance",
    "still",
    "yet",
)
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
QUOTED = re.compile(r"(?<![A-Za-z])['‘\"“]([^'‘’\"“”]{3,60})['’\"”](?![A-Za-z])")
NUMBER = re.compile(
    r"\b(?:about |around |roughly |nearly |some |over |at least )?"
    r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(%| per cent| percent|th|st|nd|rd|s\b)?"
    r"(?: (million|billion|thousand|hundred))?"
)
CAPITALISED = re.compile(r"[A-Z][A-Za-z'’.-]*|[A-Z]{2,}")


COMMON_ZIPF = 4.0  # wordfreq's scale: 4 is about once per 10,000 words of English


def english_zipf(word):
    """How common a word is in English at large (wordfreq's Zipf scale, 0-8): "system"
    is 5.6, "dioxide" 3.8, "transduction" 2.7. Loaded on first use."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def telling(phrase):
    """A phrase a reader would remember as the text's own: its rarest word is rare in
    English ("embedded emissions", "urban canyons"), unlike "major study" or "full
    system"."""
    words = [w for w in tokens(phrase) if w.lower() not in STOP]
    return bool(words) and min(english_zipf(w) for w in words) < COMMON_ZIPF


NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})
NOT_IN_A_NOUN_PHRASE = frozenset({"VB", "VBZ", "VBP", "VBD", "MD", "RB", "RBR", "WRB", "IN"})


@lru_cache(maxsize=1)
def _tagger():
    # TextBlob's PatternTagger: a Brill-style tagger whose lexicon ships in the wheel.
    from textblob.en.taggers import PatternTagger

    return PatternTagger()


@lru_cache(maxsize=16384)
def tags(phrase):
    """Part-of-speech tags of a phrase's words (Penn tags), the possessive "'s" left out."""
    tagged = _tagger().tag(phrase.replace("’", "'"))
    return tuple(tag for word, tag in tagged if tag not in ("POS",) and word not in ("'", "s"))


def noun_like(phrase):
    """A phrase that names a thing: it ends in a noun and holds no verb or adverb
    ("regional power dynamics", "embedded emissions"; not "ensure stability",
    "resistance arises" or "surroundings cooler")."""
    found = tags(phrase)
    if not found or found[-1] not in NOUN_TAGS and not (len(found) > 1 and found[-1] == "VBG"):
        return False
    return not set(found) & NOT_IN_A_NOUN_PHRASE


def shape(phrase):
    """What a phrase is, for choosing distractors like it: a gerund ("resisting
    antibiotics"), an adjective, a plural or a singular noun phrase."""
    found = tags(phrase)
    if not found:
        return ""
    if found[0] == "VBG":
        return "gerund"
    if found[-1] in ("JJ", "JJR", "JJS"):
        return "adjective"
    return "plural" if found[-1] in ("NNS", "NNPS") else "singular"


def sentences(text):
    return split_sentences(text)


def tokens(text):
    return WORD.findall(text.replace("’", "'"))


@lru_cache(maxsize=16384)
def stem(word):
    """One form for a word and its plural or possessive ("countries", "country's")."""
    word = word.lower().replace("’", "'").removesuffix("'s").strip("'")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def content(text):
    """The stems of a text's meaningful words."""
    return [stem(w) for w in tokens(text) if w.lower() not in STOP and len(w) > 2]


def without_connector(sentence):
    """'However, the EU says...' -> 'The EU says...'."""
    low = sentence.lower()
    for connector in CONNECTORS:
        if low.startswith(connector + ", "):
            rest = sentence[len(connector) + 2 :]
            return rest[:1].upper() + rest[1:]
    return sentence


def capitalise(text):
    return text[:1].upper() + text[1:]


def decapitalise(text):
    """Lower the first letter unless the first word is a name or an acronym."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and (first[1:2].isupper() or first.lower() not in STOP):
        return text
    return text[:1].lower() + text[1:]


def clean_phrase(text):
    return " ".join(text.strip(" ,;:.'\"‘’“”").split())


@dataclass(frozen=True)
class Rarity:
    """Inverse section frequency of each stem across an explainer: a word in one
    section scores high, a word in every section scores near zero."""

    idf: dict
    sections: int

    @classmethod
    def of(cls, section_texts):
        counts = Counter()
        for text in section_texts:
            counts.update(set(content(text)))
        n = max(1, len(section_texts))
        return cls({w: math.log((n + 1) / c) for w, c in counts.items()}, n)

    def __call__(self, word):
        return self.idf.get(stem(word), math.log(self.sections + 1))


def phrases(sentence):
    """Candidate key phrases of a sentence: runs of meaningful words (RAKE's idea),
    one to four words long, with their position. Quoted terms come whole."""
    found = [(clean_phrase(m.group(1)), m.start()) for m in QUOTED.finditer(sentence)]
    run, start = [], 0
    for match in re.finditer(r"[A-Za-z0-9][\w'’-]*|[^\s\w]", sentence):
        word = match.group()
        is_word = word[0].isalpha()
        if is_word and word.lower() not in STOP and len(word) > 1 and word[-1].isalpha():
            if not run:
                start = match.start()
            run.append(word)
            continue
        if is_word and word[-1] in "'’" and word[:-1].isalpha():  # "producers'"
            if not run:
                start = match.start()
            run.append(word)
        if run:
            found.append((" ".join(run[:4]), start))
        run = []
    if run:
        found.append((" ".join(run[:4]), start))
    return [(p, at) for p, at in found if p]


DETERMINERS = frozenset(
    "the a an of in on for with by from its their his her this these those such "
    "against about into through between our".split()
)
LEADS_A_NOUN = DETERMINERS | {"several", "many", "some", "most", "two", "three", "more"}


ARTICLES = frozenset("a an the its their this that these those his her our".split())
# Verbs in -s that news and explainer prose uses often and that are seldom nouns: a
# run of content words ending in one is a clause ("the conflict ends"), not a name.
VERBS_S = frozenset(
    """aims applies appears argues becomes begins brings carries causes comes continues
    creates depends describes emerges ends enters exists explains faces gives goes grows
    happens helps highlights includes increases indicates involves keeps kills leads lets
    lies makes matters means moves occurs pays plays produces protects provides raises
    reaches reduces refers releases remains requires says seems sends shows spreads stays
    suggests survives takes tends warns applies emphasizes emphasises allows affects""".split()
)
ADJECTIVE_ENDINGS = ("al", "ic", "ive", "ous", "ary", "ful", "ian", "ean", "ese", "ish")


VERB_FOLLOWERS = frozenset("with to that on in for of from by into as at a an the".split())
LEADERS = frozenset("and or including like as than via both either per called named own".split())
MODALS = frozenset("can could may might will would should must cannot".split())


def _in_series(sentence, at):
    """Whether the words at `at` follow a comma inside a list ("..., escalation of")."""
    return any(start <= at for _, items in series(sentence) for start in [sentence.find(items[0])])


def led_by_article(sentence, at):
    return sentence[:at].rstrip().split(" ")[-1].lower() in ARTICLES


def _is_verb(word, after):
    low = word.lower()
    return low in VERBS_S or (low.endswith("s") and after in ("to", "that"))


def noun_phrases(sentence):
    """Phrases that read as names of things: quoted, capitalised, or led in by a
    determiner or preposition ("the reassurance force", "of carbon leakage")."""
    found = []
    for phrase, at in phrases(sentence):
        head = sentence[:at].rstrip(" '\"‘“").split(" ")
        before = head[-1].lower() if at else ""
        words = phrase.split()
        rest = sentence[at + len(phrase) :].lstrip(" '\"’”")
        after = rest.split(" ")[0].lower() if rest[:1].isalpha() else ""
        if words[-1].endswith(("'", "’")) and not words[-1][:-1].lower().endswith("s"):
            words[-1] = words[-1][:-1]  # the closing quote of "'reassurance force'"
        if len(words) == 1 and after in ARTICLES and not led_by_article(sentence, at):
            continue  # "and influence their own ...": a verb with its object
        # "the natural cooling that plants provide": "that" after a noun opens a clause.
        verb_object = after in ARTICLES and after != "that"
        if len(words) > 1 and (verb_object or _is_verb(words[-1], after)):
            words.pop()  # "the initiative highlights a ...": a verb, not a noun
            after = "verb"
        for cut in range(1, len(words)):
            if words[cut].lower().endswith("ed") or words[cut].lower() in VERBS_S:
                words = words[:cut]
                after = "verb"
                break
        if (
            len(words) > 1
            and words[-1].lower().endswith("ing")
            and after
            and after not in ("verb", "that", "which", "who")
        ):
            words.pop()  # "framework surrounding Ukraine": a participle takes an object
        plural = [
            w.lower().endswith("s") and not w.lower().endswith(("ss", "'s", "’s")) for w in words
        ]
        if len(words) >= 2 and plural[-2] and not plural[-1] and after in VERB_FOLLOWERS:
            words.pop()  # "the coalition's actions align with": a plural, then its verb
            plural.pop()
        if any(a and b for a, b in zip(plural, plural[1:], strict=False)):
            continue  # "the materials cities are built with": two nouns, two clauses
        for cut in range(1, len(words) - 1):
            if plural[cut - 1] and not plural[cut] and words[cut].islower():
                words, plural = words[:cut], plural[:cut]  # "beta-lactamases destroy penicillin"
                break
        if words and words[-1].endswith(("'s", "’s", "s'", "s’")):
            continue  # a possessive leads into the noun it qualifies
        if not words:
            continue
        if words[0].lower().endswith("ing") and before not in DETERMINERS:
            continue  # "for casting large numbers", "and pressing paper": a verb's object
        phrase = " ".join(words)
        if words[-1].lower().endswith("ly") or words[0].lower().endswith("ly"):
            continue
        if before in ("and", "or") and len(head) > 1 and head[-2].lower().endswith("ly"):
            continue  # "isolate Russia diplomatically and reinforce Western unity": a verb
        if before in ("and", "or") and len(head) > 1:
            previous = head[-2].lower().strip(",")
            if not head[-2].endswith(",") and previous.endswith(ADJECTIVE_ENDINGS):
                continue  # "political and military developments": half of a pair
        quoted = sentence[max(0, at - 1) : at] in ("'", '"', "‘", "“")
        led = (
            before in DETERMINERS
            or before in LEADERS
            or before.endswith(("'s", "’s"))
            or (at and sentence[:at].rstrip().endswith(",") and _in_series(sentence, at))
        )
        if before == "that" and len(words) >= 3:
            continue  # "the risk that companies move production": a clause
        if not led and before in MODALS and len(words) >= 2:
            words, at = words[1:], at + len(words[0]) + 1  # "could provoke nationalist ..."
            phrase, led = " ".join(words), True
        if quoted or led or phrase[0].isupper() and at:
            found.append((phrase, at))
        elif not at and len(words) > 1 and all(w[:1].islower() for w in words[1:]):
            # A sentence's opening words: "Cool roofs are coated ...", not a name. A
            # plural then a bare word is its subject and verb: "pledges involve".
            if len(words) > 2 and words[-2].endswith("s") and not words[-1].endswith("s"):
                words.pop()
            if words[0][1:].islower():
                phrase = " ".join(words)
                found.append((phrase[:1].lower() + phrase[1:], at))
    return found


def names(sentence):
    """Capitalised names in a sentence ("World Health Organization", "NATO"), not the
    sentence's first word unless it is an acronym or followed by another name."""
    found = []
    words = list(re.finditer(r"[A-Za-z][A-Za-z'’.-]*[A-Za-z]|[A-Z]", sentence))
    i = 0
    while i < len(words):
        word = words[i].group()
        if word[0].isupper() and word.lower() not in STOP | {"the"}:
            j = i
            run = [word]
            while j + 1 < len(words):
                nxt = words[j + 1].group()
                gap = sentence[words[j].end() : words[j + 1].start()]
                if gap != " ":
                    break
                if nxt[0].isupper():
                    run.append(nxt)
                    j += 1
                elif nxt in ("of", "for", "and") and j + 2 < len(words):
                    after = words[j + 2].group()
                    if after[0].isupper() and nxt != "and":
                        run += [nxt, after]
                        j += 2
                    else:
                        break
                else:
                    break
            first_word = i == 0 or sentence[: words[i].start()].strip(" '\"‘“") == ""
            text = " ".join(run).removesuffix("'s").removesuffix("’s")
            opened = sentence[: words[i].start()][-1:] in ("'", '"', "‘", "“")
            closes = sentence[words[j].end() :][:1] in ("'", '"', "’", "”")
            if opened and not closes:
                i = j + 1
                continue  # part of a quoted title ("Fit for 55"), not a name
            if not first_word or len(run) > 1 or word.isupper():
                found.append((text, words[i].start()))
            i = j + 1
        else:
            i += 1
    return found


# Peoples, languages and directions: European, Scottish, Chinese, Western; the few
# that end otherwise are a closed class, listed.
DEMONYM = re.compile(r"^[A-Z][a-z]+(?:an|ish|ese|ern)s?$")
DEMONYMS = frozenset("French Dutch Greek Swiss Thai Arabic Nordic Baltic Celtic Slavic".split())


MONTHS = frozenset(
    "January February March April May June July August September October November "
    "December Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)


PLACE_LEADS = re.compile(r"\b(?:in|from|across|throughout|at|into|near|to|of) (?:the )?$")


def places(text):
    """Names the text puts after "in", "from", "across"...: where things happen."""
    found = set()
    for name, at in names(text):
        if PLACE_LEADS.search(text[max(0, at - 12) : at]) and not name.isupper():
            found.add(name)
    return found


def name_kind(name, places=frozenset()):
    """'acronym' (NATO), 'people' (European, Scottish), 'month' (October, Monday),
    'place' (Mainz, as the text uses it: "in Mainz") or 'name' (Johann Fust)."""
    if name in MONTHS:
        return "month"
    if name.isupper():
        return "acronym"
    if DEMONYM.match(name) or name in DEMONYMS:
        return "people"
    if name in places:
        return "place"
    return "name"


def numbers(sentence):
    """Numbers with their kind: 'year', 'percent', 'century', 'decade' or 'count'."""
    found = []
    for match in NUMBER.finditer(sentence):
        value, suffix, scale = match.group(1), match.group(2) or "", match.group(3) or ""
        raw = value.replace(",", "")
        before = sentence[max(0, match.start() - 12) : match.start()].lower()
        if suffix.strip() in ("%", "per cent", "percent"):
            kind = "percent"
        elif suffix in ("th", "st", "nd", "rd"):
            kind = "century" if "centur" in sentence[match.end() : match.end() + 9] else "ordinal"
        elif suffix == "s" and len(raw) == 4:
            kind = "decade"
        elif len(raw) == 4 and raw.isdigit() and 1000 <= int(raw) <= 2100 and not scale:
            kind = "year"
        else:
            kind = "count"
        if kind == "count" and re.search(r"\b(at|by|of) $", before) and "," not in value:
            kind = "count"
        text = value + suffix + (f" {scale}" if scale else "")
        found.append((kind, text.strip(), match.start(1)))
    return found


TRIGGERS = (
    "including",
    "such as",
    "like",
    "namely",
    "as",
    "of",
    "from",
    "with",
    "by",
    "include",
    "includes",
)
VERBISH = frozenset(
    "is are was were be been has have had will can could would may might must do does did "
    "and but which who that while to".split()
)
_SERIES = re.compile(
    r"((?<![\w'’-])(?:[^,;:()]{1,80}, ){1,8}[^,;:()]{1,50}?,? (?:and|or) [^,;:()]{1,50}?)"
    r"(?=$|[,.;:)]| (?:were|are|was|is|have|has|had|will|can|could|would|may|in|from|to|that|"
    r"which|as|into|for|at|on)\b)"
)


def _after_trigger(item):
    """The part of a first item after its leading-in words ('such as steel' -> 'steel')."""
    words = item.split(" ")
    for cut in range(len(words) - 1, -1, -1):
        two = " ".join(words[cut : cut + 2]).lower()
        if two == "such as":
            return " ".join(words[cut + 2 :]), True
        if words[cut].lower() in TRIGGERS:
            return " ".join(words[cut + 1 :]), True
    return item, False


def series(sentence):
    """Lists of three or more short, parallel items ("steel, cement and chemicals"),
    each with the words that lead into it."""
    found = []
    for clause in re.split(r"[;:(]", sentence):
        match = _SERIES.search(clause)
        if not match:
            continue
        chunks = match.group(1).split(", ")
        last = re.split(r",? (?:and|or) ", chunks.pop(), maxsplit=1)
        if len(last) != 2 or last[0] == "":
            *rest, tail = chunks
            chunks, last = rest, [*re.split(r" (?:and|or) ", tail, maxsplit=1), *last]
        if any(chunk.startswith(("and ", "or ", "but ")) for chunk in chunks[1:]):
            continue  # clauses joined, not a list
        items = [*chunks, *last]
        # Items start after the last item that leads in ("..., such as steel").
        for i in range(len(items) - 1, -1, -1):
            cut, led = _after_trigger(items[i])
            lead_in = next(
                (t for t in ("such as", *TRIGGERS) if items[i].lower().startswith(f"{t} ")), ""
            )
            if lead_in:
                cut, led = items[i][len(lead_in) + 1 :], True
            if led and cut and (i == 0 or lead_in):
                items = [cut, *items[i + 1 :]]
                break
        else:
            if (
                len(items[0].split()) > 3
                or items[0][:1].isupper()
                and items[0].split()[0].lower() in STOP
            ):
                items = items[1:]
        items = [clean_phrase(re.sub(r"^(?:and|or) ", "", item)) for item in items]
        if len(items) < 3 or any(
            not item
            or len(item.split()) > 6
            or set(item.lower().split()) & VERBISH
            or item.lower() in CONNECTORS
            for item in items
        ):
            continue
        lead = sentence[: sentence.find(items[0])].rstrip(" ,:") if items[0] in sentence else ""
        found.append((lead, items))
    return found
