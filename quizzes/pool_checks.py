"""The checks that read a quiz's pool as a whole: questions that give each other's
answers away, and the key in the same place across a quiz shown in order."""

from collections import Counter

from .checks import CUE_SHARE, Finding, PoolReport, check_question, content_words, quote

TOPIC_SHARE = 0.5  # a word in this share of a pool's stems is its topic, not a cue


def _all_words(item):
    return content_words(" ".join([item.prompt, *(c.text for c in item.choices)]))


def topic_words(items):
    """Words so common in the pool's stems ("Ukraine", "coalition") that showing them
    gives nothing away."""
    counts = Counter(word for item in items for word in content_words(item.prompt))
    floor = max(3, TOPIC_SHARE * len(items))
    return {word for word, count in counts.items() if count >= floor}


def distinctive_words(item, choice, topic=frozenset()):
    """A key's words that tell it apart: not in its own stem, not in its distractors,
    not the pool's topic."""
    others = content_words(item.prompt) | topic
    for distractor in item.distractors:
        others |= content_words(distractor.text)
    return content_words(choice.text) - others


def cues(giver, taker, topic=frozenset()):
    """The key of `taker` that `giver` shows (in its stem or choices), or None."""
    shown = _all_words(giver)
    for key in taker.keys:
        telling = distinctive_words(taker, key, topic)
        seen = telling & shown
        if len(seen) >= 2 and len(seen) / len(telling) >= CUE_SHARE:
            return key
    return None


def cueing_pairs(items):
    """Pairs of keys (frozensets) of questions that give each other's answers away."""
    pairs, topic = set(), topic_words(items)
    for giver in items:
        for taker in items:
            if giver.key != taker.key and cues(giver, taker, topic) is not None:
                pairs.add(frozenset((giver.key, taker.key)))
    return pairs


def _cueing(items):
    found, topic = {}, topic_words(items)
    for giver in items:
        for taker in items:
            if giver.key == taker.key:
                continue
            key = cues(giver, taker, topic)
            if key is not None:
                found.setdefault(taker.key, []).append(
                    Finding(
                        5,
                        "cueing",
                        f"{giver.name} shows this question's key "
                        f"{quote(key.text)} in its stem or choices.",
                    )
                )
    return found


def _key_positions(items, shuffled):
    singles = [item for item in items if item.kind == "single" and len(item.keys) == 1]
    if shuffled or len(singles) < 4:
        return []
    positions = Counter(item.choices.index(item.keys[0]) + 1 for item in singles)
    position, count = positions.most_common(1)[0]
    if count * 2 > len(singles):
        return [
            Finding(
                5,
                "key-position",
                f"The key is choice {position} in {count} of "
                f"{len(singles)} single-answer questions and choices are not "
                "shuffled: vary its position.",
            )
        ]
    return []


def check_pool(items, section, *, shuffled=True):
    """Every finding for a quiz's pool: each question's own, the cueing between them,
    and the quiz's (key positions when choices are shown in order)."""
    report = PoolReport(cueing=cueing_pairs(items), quiz=_key_positions(items, shuffled))
    cueing = _cueing(items)
    for item in items:
        found = check_question(item, section) + cueing.get(item.key, [])
        if found:
            report.questions[item.key] = found
    return report
