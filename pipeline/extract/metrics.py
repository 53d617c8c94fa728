"""Metrics: normalised quantities with qualifier, subject, entity, time and forecast flag.

Spans are found with patterns over the sentence text (units, currencies,
compute notation, number words); the dependency parse then says what is
measured and whose it is. The lexicons live in ``models/metrics.json`` and the
patterns are built from them (:class:`~pipeline.rules.MetricRules`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.lang.en.lex_attrs import like_num
from spacy.tokens import Doc, Span, Token

from ..dates import MONTHS, resolve_time
from ..nlp import lemma, text_of
from ..records import Metric
from ..rules import MetricRules, Rules
from . import WORD, register
from .context import DocContext

# what a power of ten measures, read from the words after it or, failing that, before it in the sentence
_COMPUTE_AFTER = re.compile(
    r"^\s*(?:(?:integer|floating[- ]?point|or|and|of|total|training|compute|computing|computational)\s+){0,5}"
    r"(?P<unit>(?:operations|FLOPs?|flops?|OPs?)(?P<rate>(?:\s+per\s+second|/s)\b)?|parameters|tokens)\b",
    re.I)
_COMPUTE_BEFORE = re.compile(r"\b(?:FLOPs?|floating[- ]point operations|operations)\b[^.;]{0,60}$", re.I)
_BIT_PREFIXES = {"k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}


# words as spaCy's English tokenizer would cut them around a number: "$5" -> "5", "2023-24" -> "2023", "24"
_NUMBER_WORD = re.compile(r"[\w.,/]*\w")
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")


_PER_CENT = re.compile(r"\bper\s?cent")
_DIGIT = re.compile(r"\d")


def _gate(text: str, low: str, words: set[str], lex: MetricRules) -> bool:
    """A digit, a currency or percent sign, 'per cent' or a number word: every pattern and every count
    needs one, and most sentences have none and stop here (checked as a set of words: Python's re scans
    a long alternation at every position, ~20x slower)."""
    return (bool(lex.sign_chars.search(text)) or ("per" in low and bool(_PER_CENT.search(low)))
            or not lex.counted_words.isdisjoint(words) or not words.isdisjoint(lex.ordinals))


def might_hold_metric(text: str, rules: Rules) -> bool:
    """Cheap pass: a pattern hit that is not a label, or a number that could count something.

    Mirrors :func:`metrics` without the parse: the unit patterns run on the
    raw text exactly as there, and a count needs a number (digits or a
    number word from ``models/metrics.json``) that is not a year, "one", a
    label ("Section 4") or a range; whether it counts a noun is left to the
    parse.
    """
    lex = rules.metrics
    low, words = _lowered_words(text)
    if not _gate(text, low, words, lex):
        return False
    if any(not _is_label(text, hit, lex) for hit in _hits(text, low, words, lex)):
        return True
    return any(_might_count(text, m, lex) for m in _NUMBER_WORD.finditer(text))


def _might_count(text: str, word: re.Match[str], lex: MetricRules) -> bool:
    value = word.group().rstrip(".,")
    if value.lower() not in lex.counted_words and not _DIGIT.search(value):
        return False  # what follows accepts only these; spaCy's like_num is slow to call on every word
    if not like_num(value):  # "5km" is cut into "5" "km"
        digits = re.match(r"\d[\d.,]*", value)
        value = digits.group().rstrip(".,") if digits else value
    if not like_num(value) or not value[0].isdigit() and value.lower() not in lex.counted_words:
        return False  # ordinals ("first") are like_num too, but modify, not count
    previous = re.search(r"(\S+)\s+$", text[:word.start()])
    return not _not_a_count(value, previous.group(1) if previous else "", lex)


_RANGE_OR_VERSION = re.compile(r"\d-\d|\d\.\d+\.")


def _not_a_count(number: str, previous: str, lex: MetricRules) -> bool:
    """'one' (unless 'at least one'), a year, a range or version ("2023-24", "1.2.3."), or a number after a
    label word ("Section 4")."""
    return ((number.lower() in ("one", "a", "an") and previous.lower() not in ("least", "exactly", "than"))
            or bool(_YEAR.match(number)) or bool(_RANGE_OR_VERSION.search(number))
            or previous.lower().rstrip(".") in lex.label_words)


@dataclass
class _Hit:
    start: int
    end: int
    value: float
    unit: str
    currency: str | None = None
    time_unit: str | None = None


def parse_number(text: str, scale: str | None, lex: MetricRules) -> float | None:
    """'1,000' → 1000.0; 'eight' → 8.0; 'twenty-five' → 25.0; with 'billion' → × 1e9."""
    words = lex.number_words
    text = text.lower().strip()
    grouped = re.fullmatch(r"(\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+)(?:[.,](\d+))?", text)
    if grouped:  # "35 000 000", "1 500,50": spaces group thousands, so a comma is the decimal mark
        value = float(re.sub(r"\D", "", grouped.group(1)) + "." + (grouped.group(2) or "0"))
    elif re.fullmatch(r"[\d,]+(\.\d+)?", text):
        value = float(text.replace(",", ""))
    elif text in words:
        value = float(words[text])
    elif "-" in text and all(part in words for part in text.split("-")):
        value = float(sum(words[part] for part in text.split("-")))
    else:
        return None
    if scale:
        value *= lex.scales[scale.lower()]
    return value


def _lowered_words(text: str) -> tuple[str, set[str]]:
    low = text.lower()
    return low, set(WORD.findall(low))


def _hits(text: str, low: str, words: set[str], lex: MetricRules) -> list[_Hit]:
    """Unit pattern hits in ``text``; ``low`` and ``words`` are from :func:`_lowered_words`."""
    hits: list[_Hit] = []
    for kind, pattern in lex.patterns.items():
        if kind == "phone" or not lex.could_match(kind, low, words):
            continue
        for m in pattern.finditer(text):
            hit = _to_hit(kind, m, lex)
            if hit is not None:
                hits.append(hit)
    if not hits:
        return hits
    phones = [(m.start(), m.end()) for m in lex.patterns["phone"].finditer(text)]
    kept: list[_Hit] = []
    for hit in hits:  # the first pattern to claim a stretch of text wins
        if any(hit.start < e and s < hit.end for s, e in phones):
            continue
        if any(hit.start < k.end and k.start < hit.end for k in kept):
            continue
        kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


def _to_hit(kind: str, m: re.Match[str], lex: MetricRules) -> _Hit | None:
    groups = m.groupdict()
    if kind == "power_of_ten":
        return _power_of_ten(m)
    if kind == "ordinal_duration":
        word = groups["ord"].lower()
        ordinal = lex.ordinals.get(word) or int(re.match(r"\d+", word).group())  # type: ignore[union-attr]
        return _Hit(m.start(), m.end(), float(ordinal), "duration",
                    time_unit=lex.time_units[groups["tu"].lower()])
    if kind == "multiplier" and groups.get("foldword"):
        return _Hit(m.start(), m.end(), float(lex.fold_words[groups["foldword"].lower()]), "multiplier")
    num = groups.get("num") or ""
    if num.lower() in ("a", "an"):
        num = "1" if groups.get("scale") else ""
    value = parse_number(num, groups.get("scale") or groups.get("short"), lex)
    if value is None:
        return None
    if kind.startswith("currency"):
        currency = lex.currencies[(groups.get("cur") or groups["code"]).lower()]
        per = groups.get("per")
        return _Hit(m.start(), m.end(), value, "currency", currency=currency,
                    time_unit=lex.time_units[per.lower()] if per else None)
    if kind == "bandwidth":
        return _Hit(m.start(), m.end(), value * _BIT_PREFIXES[groups["prefix"]], "bit_per_second")
    if kind == "model_size":
        return _Hit(m.start(), m.end(), value, groups["what"].lower())
    if kind == "duration":
        if _YEAR.match(num):
            return None
        return _Hit(m.start(), m.end(), value, "duration", time_unit=lex.time_units[groups["tu"].lower()])
    return _Hit(m.start(), m.end(), value, kind)


def _power_of_ten(m: re.Match[str]) -> _Hit | None:
    """10^26, 10²⁶, 2×10^25 or 1e25, with its unit read from the words around it.

    A power of ten with no compute, parameter or token word near it is kept as
    a count, except the "1e25" form, which alone is as likely an identifier.
    """
    groups = m.groupdict()
    exponent = groups["exp"] or (groups["sup"] or "").translate(_SUPERSCRIPT) or groups["exp2"]
    mantissa = float(groups["mant"] or groups["mant2"] or 1)
    value = mantissa * 10 ** int(exponent.replace("−", "-"))
    after = _COMPUTE_AFTER.match(m.string[m.end():])
    if after:
        word = after.group("unit").lower()
        unit = (word if word in ("parameters", "tokens")
                else "flop_per_second" if after.group("rate") else "flop")
        return _Hit(m.start(), m.end(), value, unit)
    if _COMPUTE_BEFORE.search(m.string[:m.start()]):
        return _Hit(m.start(), m.end(), value, "flop")
    return None if groups["exp2"] else _Hit(m.start(), m.end(), value, "count")


def _count_hits(doc: Doc, taken: list[_Hit], lex: MetricRules) -> Iterator[_Hit]:
    """Cardinal numbers counting a noun ('12 countries', 'more than 1,000 researchers')."""
    label_words = lex.label_words
    for token in doc:
        if not token.like_num:  # the cheap test first: most tokens are not numbers
            continue
        # a count comes before what it counts ("four institutes"); a number after a noun names it
        # ("Measure 3.2", "Science 161"), and one in a run of numbers cites ("(531, 1, 532)")
        counts_noun = token.dep_ == "nummod" and token.head.pos_ in ("NOUN", "PROPN") and (
            token.i < token.head.i or _quantified(token))
        # "raises the number of employees from fewer than 100 to fewer than 500": a quantified number
        # standing for the noun counted earlier in the sentence (the parser makes it a prepositional object)
        stands_for = token.dep_ == "pobj" and _quantified(token) and any(
            t.lower_ == "number" and t.i < token.i for t in doc)
        if not (counts_noun or stands_for) or _in_number_run(token):
            continue
        start, end = token.idx, token.idx + len(token)
        if any(start < h.end and h.start < end for h in taken):
            continue
        previous = doc[token.i - 1].text if token.i > 0 else ""
        scale = None
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if (following is not None and len(following) > 1 and following.lower_ in lex.scales
                and following.head == token.head):  # "5 million"; a lone "m" or "t" scales only money
            scale = doc[token.i + 1].lower_
            end = doc[token.i + 1].idx + len(doc[token.i + 1])
        value = parse_number(token.text, scale, lex)
        # "Tier 2" names a tier; "at least one tier" counts them
        named = token.head.lower_ in label_words and token.i > token.head.i
        if value is None or _not_a_count(token.text, previous, lex) or named or _in_date(token):
            continue
        if _names_something(token, value, scale, label_words):
            continue
        # 'two years ago' dates; durations are matched above
        if lemma(token.head).lower() in lex.time_units:
            continue
        yield _Hit(start, end, value, "count")


def _names_something(token: Token, value: float, scale: str | None, label_words: frozenset[str]) -> bool:
    """Numbers that number rather than count: "3.2" (a section: counts are whole), "6 Conclusion"
    (a heading's number), "31 U.S.C." (a citation), "GPT-4" or "M-25-22" (a name)."""
    doc = token.doc
    before = doc[token.i - 1] if token.i > 0 else None
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if (value != int(value) and scale is None) or token.lower_ == "zero":
        return True
    if after is not None and (after.lower_.rstrip(".") in label_words
                              or after.text in ("-", "–", "/", ".", ")")):
        return True  # "31 U.S.C.", "two-thirds", "1. High-risk systems", "4)"
    if before is not None and before.text in ("-", "–", "/"):
        return True
    if _listed_after_label(token, label_words):
        return True
    opens = before is None or before.is_punct or before.is_space or before.like_num or before.is_title
    return opens and after is not None and after.is_title and not token.is_alpha  # "Core 5 AI RMF Profiles"


_LIST_LINKS = {",", "and", "or", "to", "-", "–", "&"}


def _listed_after_label(token: Token, label_words: frozenset[str]) -> bool:
    """'paragraphs 1 and 2', 'recitals 110, 114 and 115', 'U.S.C. 4501': numbers listed after a label word."""
    i = token.i - 1
    while i >= 0 and (token.doc[i].like_num or token.doc[i].lower_ in _LIST_LINKS
                      or token.doc[i].text == "."):
        i -= 1
    return i >= 0 and i < token.i - 1 and token.doc[i].lower_.rstrip(".") in label_words


def _quantified(token: Token) -> bool:
    """'fewer than 100', 'at least 5': a number with a quantity word counts, wherever its noun is."""
    return any(c.dep_ in ("quantmod", "advmod", "amod") and c.i < token.i for c in token.children)


# a cited work: an identifier, a venue, or a numbered entry that opens with its authors' initials
_REFERENCE = re.compile(r"https?://(?:dx\.)?doi\.org/|\barXiv:\s?\d|\bIn Proceedings\b|\bProceedings of the\b"
                        r"|^\s*\[?\d{1,4}[.\]]\*?\s+(?:[A-Z]\.\s?)+[A-Z][\w'-]+,"
                        r"|^\s*(?:[A-Z]\.\s?)+[A-Z][\w'-]+, "
                        r"(?:[A-Z]\.\s?)+[A-Z]")


def _is_reference(text: str) -> bool:
    """A bibliography entry ("859. A. Cavoukian, Privacy by design: The 7 foundational principles.
    (2009)")."""
    return bool(_REFERENCE.search(text))


def _in_number_run(token: Token) -> bool:
    """A number listed beside other numbers, or alone in brackets: a citation or a footnote mark."""
    doc = token.doc

    def at(i: int) -> Token | None:
        return doc[i] if 0 <= i < len(doc) else None

    before, after = at(token.i - 1), at(token.i + 1)
    listed = any(sep is not None and sep.text in ",;" and other is not None and other.like_num
                 for sep, other in ((before, at(token.i - 2)), (after, at(token.i + 2))))
    listed = listed or any(near is not None and near.like_num and not near.is_alpha
                           for near in (before, after))
    bracketed = before is not None and before.text in "([" and (after is None or after.text in ")],;")
    return listed or bracketed


def _in_date(token: Token) -> bool:
    """'May 15', '15 May 2026', '11:15 am': a number inside a date or time (no NER needed)."""
    doc = token.doc
    near = [doc[i] for i in range(max(token.i - 2, 0), min(token.i + 3, len(doc))) if i != token.i]
    if any(t.lower_.rstrip(".") in MONTHS for t in near) or token.head.lower_.rstrip(".") in MONTHS:
        return True
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return after is not None and (after.text == ":" or after.lower_ in ("am", "pm", "a.m.", "p.m."))


def _is_label(text: str, hit: _Hit, lex: MetricRules) -> bool:
    """A number that names something (Section 4.2, GPT-4, version 3) is not a metric."""
    before = text[max(0, hit.start - 12):hit.start].lower()
    word = re.search(r"([a-z.§]+)[\s-]*$", before)
    return bool(word and word.group(1).rstrip(".") in lex.label_words
                and hit.unit in ("count", "duration"))


def _qualifier(text: str, hit: _Hit, lex: MetricRules) -> tuple[str | None, int, int]:
    before = text[:hit.start].lower()
    for phrase, label, pattern in lex.qualifiers_before:
        if pattern.search(before):
            return label, before.rstrip().rfind(phrase), hit.end
    after = text[hit.end:].lower()
    for phrase, label, pattern in lex.qualifiers_after:
        if pattern.match(after):
            return label, hit.start, hit.end + after.find(phrase) + len(phrase)
    return None, hit.start, hit.end


@register("metrics", prefilter=might_hold_metric)
def metrics(doc: Doc, context: DocContext) -> Iterator[Metric]:
    """Yield the metrics of one parsed sentence.

    Args:
        doc: The sentence parsed by the full pipeline.
        context: The document being read.

    Yields:
        Metric records with evidence spans inside the sentence.
    """
    text = text_of(doc)
    if _is_reference(text):
        return  # a bibliography entry: its numbers are a cited work's, not this document's
    lex = context.rules.metrics
    hits = [h for h in _hits(text, *_lowered_words(text), lex) if not _is_label(text, h, lex)]
    hits = sorted(hits + list(_count_hits(doc, hits, lex)), key=lambda h: h.start)
    forecast = _forecast(doc, context)
    found: list[Metric] = []
    for index, hit in enumerate(hits):
        qualifier, start, end = _qualifier(text, hit, lex)
        span = doc.char_span(hit.start, hit.end, alignment_mode="expand")
        subject = _subject(span) if span is not None else None
        if hit.unit in ("flop", "flop_per_second"):
            unit_words = re.match(r"\s*((?:[\w-]+\s+){0,4}?(?:operations|FLOPs?|flops?)(?:\s+per\s+second)?)",
                                  text[hit.end:])
            subject = unit_words.group(1) if unit_words else subject
        elif subject and text[start:end] in subject:
            subject = subject.replace(text[start:end], "").strip(" -") or None
        change_from = _change_from(text, hits, index)
        found.append(Metric(
            evidence=context.evidence(start, end), text=text[start:end], value=hit.value, unit=hit.unit,
            currency=hit.currency, time_unit=hit.time_unit, qualifier=qualifier, subject=subject,
            entity=_entity(doc, span, context), time=_time(text, hits, index, context),
            is_forecast=forecast is not None, forecaster=forecast, event=subject if forecast else None,
            change_from=change_from,
        ))
    yield from found


def _change_from(text: str, hits: list[_Hit], index: int) -> int | None:
    """'from 2 percent ... to 93.9 percent': the second value changed from the first."""
    if index == 0:
        return None
    previous = hits[index - 1]
    between = text[previous.end:hits[index].start]
    before = text[max(0, previous.start - 30):previous.start].lower()
    if (previous.unit == hits[index].unit and re.search(r"\bto\b", between)
            and re.search(r"\bfrom\b", before + text[previous.start:previous.end].lower())):
        return index - 1
    return None


def _time(text: str, hits: list[_Hit], index: int, context: DocContext) -> str | None:
    """The as-of or target time nearest after the value, else anywhere in the sentence."""
    anchor = context.document.date
    stop = hits[index + 1].start if index + 1 < len(hits) else len(text)
    window = text[hits[index].end:stop]
    found = resolve_time(window, anchor)
    if (found is None and re.search(r"\bthis (spring|summer|autumn|fall|winter|year)\b", window, re.I)
            and anchor):
        return anchor[:4]
    return found or resolve_time(text, anchor)


def _forecast(doc: Doc, context: DocContext) -> str | None:
    """The forecaster when the sentence forecasts, else None."""
    lowered = text_of(doc).lower()
    cues = context.rules.metrics.forecast_cues
    if not context.rules.metrics.forecast_pattern.search(lowered):
        return None
    for token in doc:
        if token.lower_ in cues or lemma(token).lower() in cues:
            subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subjects:
                phrase = " ".join(t.text for t in subjects[0].subtree)
                return context.resolve_actor(phrase) or phrase
    return context.focus_org


def _subject(span: Span) -> str | None:
    """What the value measures, from the dependency parse."""
    root = span.root
    for token in (root, *span):
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return _phrase(objects[0], full=True)
    head = root.head
    if (root.dep_ in ("nummod", "compound", "amod", "quantmod", "npadvmod", "nmod")
            and head.pos_ in ("NOUN", "PROPN")):
        return _phrase(head)
    verb = head
    while verb.dep_ in ("prep", "pobj", "dobj", "attr", "advmod", "npadvmod") and verb.head.i != verb.i:
        verb = verb.head
    if lemma(verb) == "value":
        return "valuation"
    objects = [c for c in verb.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")]
    if objects and root.head.lower_ in ("at", "to"):  # 'put its valuation at $965 billion'
        return _phrase(objects[0])
    subjects = [c for c in verb.children
                if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ not in ("PRON", "DET")]
    if subjects:
        return _phrase(subjects[0])
    return None


def _phrase(token: Token, *, full: bool = False) -> str:
    """A noun and its modifiers (or its whole subtree), without leading determiners."""
    if full:
        words = list(token.subtree)
    else:
        words = [t for t in token.subtree if t.i <= token.i or t.dep_ in ("prep", "pobj", "compound")]
        words = [t for t in words if t.i >= token.left_edge.i]
    while words and words[0].dep_ in ("det", "predet") or words and words[0].pos_ in ("DET", "NUM", "SYM"):
        words = words[1:]
    return " ".join(t.text for t in words).replace(" 's", "'s").replace(" ’s", "’s").strip() or token.text


def _entity(doc: Doc, span: Span | None, context: DocContext) -> str | None:
    """Whose value it is: a possessor, an actor named in the sentence, or the organisation in focus."""
    for token in doc:
        if token.dep_ == "poss":
            resolved = (context.resolve_actor(token.text) if token.lower_ not in ("its", "their")
                        else context.focus_org)
            if resolved:
                return resolved
    for match in context.actors.pattern.finditer(text_of(doc)):
        actor = context.actors.get(context.actors.resolve(match.group(1)))
        if actor is not None and actor.type in ("org", "product"):
            return actor.name
    for phrase in ("the company", "the lab", "the ai lab", "the firm"):
        if phrase in text_of(doc).lower():
            return context.focus_org
    return None
