"""Metrics: normalised quantities with qualifier, subject, entity, time and forecast flag.

Spans are found with patterns over the sentence text (units, currencies,
compute notation, number words); the dependency parse then says what is
measured and whose it is. Lexicons live in ``models/metrics.json``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from spacy.lang.en.lex_attrs import like_num
from spacy.tokens import Doc, Span, Token

from ..config import model_data
from ..dates import MONTHS, resolve_time
from ..nlp import lemma, text_of
from ..records import Metric
from . import WORD, register
from .context import DocContext


def lexicon() -> dict:
    return model_data("metrics.json")


def _alternation(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def _build() -> dict[str, re.Pattern[str]]:
    lex = lexicon()
    words = [w for w in lex["number_words"] if w not in ("a", "an")]
    word_num = rf"(?:(?:{_alternation(words)})(?:-(?:{_alternation(words)}))?)"
    num = (rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|{word_num}"
           r"|an?(?=\s+(?:thousand|million|billion|trillion)))")
    # money is also printed with its thousands grouped by spaces ("35 000 000 EUR") and cut short ("$700k")
    money = rf"(?P<num>\d{{1,3}}(?:[ \u00a0\u2009\u202f]\d{{3}})+(?:[.,]\d+)?(?!\d)|{num[len('(?P<num>'):]}"
    scale = r"(?:[\s-]*(?P<scale>thousand|million|billion|trillion|bn|tn)\b)?"
    money_scale = (r"(?:[\s-]*(?P<scale>thousand|million|billion|trillion|bn|mn|tn)\b"
                   r"|(?P<short>[kmb])(?![\w]))?")
    per = r"(?:\s*(?:/|per\s+|a\s+)(?P<per>hour|day|week|month|year)\b)?"
    codes = _alternation(c for c in lex["currencies"] if c.isalpha() and len(c) == 3)  # ISO codes: usd, eur
    time_units = _alternation(lex["time_units"])
    return {
        "currency_prefix": re.compile(
            rf"(?:(?P<cur>US\$|\$|€|£|¥)|(?<![A-Za-z])(?P<code>{codes})\s)\s?{money}{money_scale}{per}",
            re.I),
        "currency_suffix": re.compile(
            rf"(?<![\w.]){money}{money_scale}\s*(?:(?P<cur>dollars|euros|pounds|yen|€)|(?P<code>{codes}))"
            rf"(?![A-Za-z]){per}", re.I),
        "power_of_ten": re.compile(
            r"(?<![\w.])(?:(?P<mant>\d(?:\.\d+)?)\s?[×x*]\s?)?10\s?(?:\^|\*\*)\s?(?P<exp>[-−]?\d{1,3})(?!\d)"
            r"|(?<![\w.])10(?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})"
            r"|(?<![\w.])(?P<mant2>\d(?:\.\d+)?)[eE]\+?(?P<exp2>\d{1,2})(?![\w.])"),
        "bandwidth": re.compile(rf"(?<![\w.]){num}\s?(?P<prefix>[kMGT])(?:bit/s|bps|b/s|bits? per second)\b"),
        "percent": re.compile(rf"(?<![\w.]){num}[\s\u00a0\u202f]?"
                              r"(?:%|-?\s?percent\b|per cent\b|percentage points?\b)", re.I),
        "model_size": re.compile(rf"\b{num}{scale}\s+(?P<what>parameters|tokens)\b", re.I),
        # not a standard's designation ("IEEE 802.1X", "802.11ac")
        "multiplier": re.compile(rf"(?<![\w.])(?!\d{{3,}}\.\d+[a-z]+\b){num}(?:\s?x\b|\s+times\b|-?fold\b)"
                                 rf"|\b(?P<foldword>{_alternation(lex['fold_words'])})\b", re.I),
        "duration": re.compile(rf"\b{num}[\s-](?:(?:business|working|calendar)\s+)?(?P<tu>{time_units})s?\b"
                               r"(?!\s+(?:ago|old)\b)(?!-old)", re.I),
        # "on the twentieth day following its publication": a law's period, counted by an ordinal
        "ordinal_duration": re.compile(rf"\b(?P<ord>{_alternation(ORDINALS)}|\d{{1,3}}(?:st|nd|rd|th))\s+"
                                       rf"(?P<tu>day|week|month|year)\s+(?=(?:following|after|from)\b)",
                                       re.I),
        "phone": re.compile(r"\(?\b\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b"),
    }


ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
            "eighth": 8, "ninth": 9, "tenth": 10, "fifteenth": 15, "twentieth": 20, "thirtieth": 30,
            "sixtieth": 60, "ninetieth": 90}


_ORDINAL_WORDS = frozenset(ORDINALS)


# what a power of ten measures, read from the words after it or, failing that, before it in the sentence
_COMPUTE_AFTER = re.compile(
    r"^\s*(?:(?:integer|floating[- ]?point|or|and|of|total|training|compute|computing|computational)\s+){0,5}"
    r"(?P<unit>(?:operations|FLOPs?|flops?|OPs?)(?P<rate>(?:\s+per\s+second|/s)\b)?|parameters|tokens)\b",
    re.I)
_COMPUTE_BEFORE = re.compile(r"\b(?:FLOPs?|floating[- ]point operations|operations)\b[^.;]{0,60}$", re.I)
_BIT_PREFIXES = {"k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}


PATTERNS = _build()
# words as spaCy's English tokenizer would cut them around a number: "$5" -> "5", "2023-24" -> "2023", "24"
_NUMBER_WORD = re.compile(r"[\w.,/]*\w")
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")


@functools.lru_cache(maxsize=1)
def _number_words() -> frozenset[str]:
    """Words that can be, or scale, a number in the patterns ("two", "dozen", "million", "tenfold")."""
    lex = lexicon()
    return frozenset(w.lower() for w in (*lex["number_words"], *lex["scales"], *lex["fold_words"])
                     if len(w) > 2)


# every pattern and every count needs one of these; most sentences have none and stop here
_SIGN = re.compile(r"[\d%$€£¥]")
_PER_CENT = re.compile(r"\bper\s?cent")
_DIGIT = re.compile(r"\d")


def _gate(text: str, low: str, words: set[str]) -> bool:
    """A digit, a currency or percent sign, 'per cent' or a number word (checked as a set of words:
    Python's re scans a long alternation at every position, ~20x slower)."""
    return (bool(_SIGN.search(text)) or ("per" in low and bool(_PER_CENT.search(low)))
            or not _number_words().isdisjoint(words) or not _ORDINAL_WORDS.isdisjoint(words))


def might_hold_metric(text: str) -> bool:
    """Cheap pass: a pattern hit that is not a label, or a number that could count something.

    Mirrors :func:`metrics` without the parse: the unit patterns run on the
    raw text exactly as there, and a count needs a number (digits or a
    number word from ``models/metrics.json``) that is not a year, "one", a
    label ("Section 4") or a range; whether it counts a noun is left to the
    parse.
    """
    low, words = _lowered_words(text)
    if not _gate(text, low, words):
        return False
    if any(not _is_label(text, hit) for hit in _hits(text, low, words)):
        return True
    return any(_might_count(text, m) for m in _NUMBER_WORD.finditer(text))


def _might_count(text: str, word: re.Match[str]) -> bool:
    value = word.group().rstrip(".,")
    if value.lower() not in _number_words() and not _DIGIT.search(value):
        return False  # what follows accepts only these; spaCy's like_num is slow to call on every word
    if not like_num(value):  # "5km" is cut into "5" "km"
        digits = re.match(r"\d[\d.,]*", value)
        value = digits.group().rstrip(".,") if digits else value
    if not like_num(value) or not value[0].isdigit() and value.lower() not in _number_words():
        return False  # ordinals ("first") are like_num too, but modify, not count
    previous = re.search(r"(\S+)\s+$", text[:word.start()])
    return not _not_a_count(value, previous.group(1) if previous else "")


_RANGE_OR_VERSION = re.compile(r"\d-\d|\d\.\d+\.")


def _not_a_count(number: str, previous: str) -> bool:
    """'one' (unless 'at least one'), a year, a range or version ("2023-24", "1.2.3."), or a number after a
    label word ("Section 4")."""
    return ((number.lower() in ("one", "a", "an") and previous.lower() not in ("least", "exactly", "than"))
            or bool(_YEAR.match(number)) or bool(_RANGE_OR_VERSION.search(number))
            or previous.lower().rstrip(".") in lexicon()["label_words"])


@dataclass
class _Hit:
    start: int
    end: int
    value: float
    unit: str
    currency: str | None = None
    time_unit: str | None = None


def parse_number(text: str, scale: str | None = None) -> float | None:
    """'1,000' → 1000.0; 'eight' → 8.0; 'twenty-five' → 25.0; with 'billion' → × 1e9."""
    words = lexicon()["number_words"]
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
        value *= lexicon()["scales"][scale.lower()]
    return value


def _lowered_words(text: str) -> tuple[str, set[str]]:
    low = text.lower()
    return low, set(WORD.findall(low))


def _hits(text: str, low: str, words: set[str]) -> list[_Hit]:
    """Unit pattern hits in ``text``; ``low`` and ``words`` are from :func:`_lowered_words`."""
    lex = lexicon()
    hits: list[_Hit] = []
    for kind, needs in _PATTERN_NEEDS.items():
        if not needs(low, words):
            continue
        for m in PATTERNS[kind].finditer(text):
            hit = _to_hit(kind, m, lex)
            if hit is not None:
                hits.append(hit)
    if not hits:
        return hits
    phones = [(m.start(), m.end()) for m in PATTERNS["phone"].finditer(text)]
    kept: list[_Hit] = []
    for hit in hits:  # the first pattern to claim a stretch of text wins
        if any(hit.start < e and s < hit.end for s, e in phones):
            continue
        if any(hit.start < k.end and k.start < hit.end for k in kept):
            continue
        kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


def _has_any(low: str, parts) -> bool:
    return any(part in low for part in parts)


_E_FORM = re.compile(r"\de\+?\d")
_SUPERSCRIPT_DIGITS = frozenset("⁰¹²³⁴⁵⁶⁷⁸⁹")


@functools.lru_cache(maxsize=1)
def _fold_words() -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon()["fold_words"])


@functools.lru_cache(maxsize=1)
def _time_units() -> tuple[str, ...]:
    return tuple(u.lower() for u in lexicon()["time_units"])


# a word or sign each pattern cannot match without (lowered text, its \w+ words), in the order the
# patterns claim text; checking these first skips most regex scans and changes no match
_PATTERN_NEEDS: dict[str, Callable[[str, set[str]], bool]] = {
    "currency_prefix": lambda low, words: _has_any(low, "$€£¥")
    or not words.isdisjoint(("eur", "usd", "gbp")),
    "currency_suffix": lambda low, words: "€" in low
    or not words.isdisjoint(("dollars", "euros", "pounds", "yen", "eur", "usd", "gbp")),
    "power_of_ten": lambda low, words: "^" in low or "**" in low or bool(_E_FORM.search(low))
    or not _SUPERSCRIPT_DIGITS.isdisjoint(low),
    "bandwidth": lambda low, words: "bit" in low or "bps" in low or "b/s" in low,
    "percent": lambda low, words: "%" in low or "percent" in low or "per cent" in low,
    "model_size": lambda low, words: "parameters" in words or "tokens" in words,
    "multiplier": lambda low, words: "x" in low or "times" in words or "fold" in low
    or not words.isdisjoint(_fold_words()),
    "duration": lambda low, words: _has_any(low, _time_units()),
    "ordinal_duration": lambda low, words: ("following" in words or "after" in words or "from" in words)
    and _has_any(low, ("day", "week", "month", "year")),
}


def _to_hit(kind: str, m: re.Match[str], lex: dict) -> _Hit | None:
    groups = m.groupdict()
    if kind == "power_of_ten":
        return _power_of_ten(m)
    if kind == "ordinal_duration":
        word = groups["ord"].lower()
        ordinal = ORDINALS.get(word) or int(re.match(r"\d+", word).group())  # type: ignore[union-attr]
        return _Hit(m.start(), m.end(), float(ordinal), "duration",
                    time_unit=lex["time_units"][groups["tu"].lower()])
    if kind == "multiplier" and groups.get("foldword"):
        return _Hit(m.start(), m.end(), float(lex["fold_words"][groups["foldword"].lower()]), "multiplier")
    num = groups.get("num") or ""
    if num.lower() in ("a", "an"):
        num = "1" if groups.get("scale") else ""
    value = parse_number(num, groups.get("scale") or groups.get("short"))
    if value is None:
        return None
    if kind.startswith("currency"):
        currency = lex["currencies"][(groups.get("cur") or groups["code"]).lower()]
        per = groups.get("per")
        return _Hit(m.start(), m.end(), value, "currency", currency=currency,
                    time_unit=lex["time_units"][per.lower()] if per else None)
    if kind == "bandwidth":
        return _Hit(m.start(), m.end(), value * _BIT_PREFIXES[groups["prefix"]], "bit_per_second")
    if kind == "model_size":
        return _Hit(m.start(), m.end(), value, groups["what"].lower())
    if kind == "duration":
        if _YEAR.match(num):
            return None
        return _Hit(m.start(), m.end(), value, "duration", time_unit=lex["time_units"][groups["tu"].lower()])
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


def _count_hits(doc: Doc, taken: list[_Hit]) -> Iterator[_Hit]:
    """Cardinal numbers counting a noun ('12 countries', 'more than 1,000 researchers')."""
    label_words = set(lexicon()["label_words"])
    for token in doc:
        # a count comes before what it counts ("four institutes"); a number after a noun names it
        # ("Measure 3.2", "Science 161"), and one in a run of numbers cites ("(531, 1, 532)")
        counts_noun = token.dep_ == "nummod" and token.head.pos_ in ("NOUN", "PROPN") and (
            token.i < token.head.i or _quantified(token))
        # "raises the number of employees from fewer than 100 to fewer than 500": a quantified number
        # standing for the noun counted earlier in the sentence (the parser makes it a prepositional object)
        stands_for = token.dep_ == "pobj" and _quantified(token) and any(
            t.lower_ == "number" and t.i < token.i for t in doc)
        if not (token.like_num and (counts_noun or stands_for)) or _in_number_run(token):
            continue
        start, end = token.idx, token.idx + len(token)
        if any(start < h.end and h.start < end for h in taken):
            continue
        previous = doc[token.i - 1].text if token.i > 0 else ""
        scale = None
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if (following is not None and len(following) > 1 and following.lower_ in lexicon()["scales"]
                and following.head == token.head):  # "5 million"; a lone "m" or "t" scales only money
            scale = doc[token.i + 1].lower_
            end = doc[token.i + 1].idx + len(doc[token.i + 1])
        value = parse_number(token.text, scale)
        # "Tier 2" names a tier; "at least one tier" counts them
        named = token.head.lower_ in label_words and token.i > token.head.i
        if value is None or _not_a_count(token.text, previous) or named or _in_date(token):
            continue
        if _names_something(token, value, scale, label_words):
            continue
        # 'two years ago' dates; durations are matched above
        if lemma(token.head).lower() in lexicon()["time_units"]:
            continue
        yield _Hit(start, end, value, "count")


def _names_something(token: Token, value: float, scale: str | None, label_words: set[str]) -> bool:
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


def _listed_after_label(token: Token, label_words: set[str]) -> bool:
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


def _is_label(text: str, hit: _Hit) -> bool:
    """A number that names something (Section 4.2, GPT-4, version 3) is not a metric."""
    before = text[max(0, hit.start - 12):hit.start].lower()
    word = re.search(r"([a-z.§]+)[\s-]*$", before)
    return bool(word and word.group(1).rstrip(".") in lexicon()["label_words"]
                and hit.unit in ("count", "duration"))


@functools.lru_cache(maxsize=2)
def _qualifier_patterns(key: str) -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """(phrase, label, pattern) for the qualifiers written just before or just after a number."""
    form = r"(?:^|\W){}\s*$" if key == "qualifiers_before" else r"\s*{}\b"
    return tuple((phrase, label, re.compile(form.format(re.escape(phrase))))
                 for phrase, label in lexicon()[key])


def _qualifier(text: str, hit: _Hit) -> tuple[str | None, int, int]:
    before = text[:hit.start].lower()
    for phrase, label, pattern in _qualifier_patterns("qualifiers_before"):
        if pattern.search(before):
            return label, before.rstrip().rfind(phrase), hit.end
    after = text[hit.end:].lower()
    for phrase, label, pattern in _qualifier_patterns("qualifiers_after"):
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
    hits = [h for h in _hits(text, *_lowered_words(text)) if not _is_label(text, h)]
    hits = sorted(hits + list(_count_hits(doc, hits)), key=lambda h: h.start)
    forecast = _forecast(doc, context)
    found: list[Metric] = []
    for index, hit in enumerate(hits):
        qualifier, start, end = _qualifier(text, hit)
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


@functools.lru_cache(maxsize=1)
def _forecast_cue() -> re.Pattern[str]:
    return re.compile(r"\b(?:" + _alternation(lexicon()["forecast_cues"]) + r")\b")


def _forecast(doc: Doc, context: DocContext) -> str | None:
    """The forecaster when the sentence forecasts, else None."""
    lowered = text_of(doc).lower()
    cues = lexicon()["forecast_cues"]
    if not _forecast_cue().search(lowered):
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
