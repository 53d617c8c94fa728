"""The metrics extractor's rules (``models/metrics.json``) and the patterns generated from them.

Number words, scales, currencies, time units and qualifiers are listed once, in the file; the
span patterns, the cheap pass's word sets and the signs it looks for are all built from that
list, so a currency added to ``currencies`` is found as a prefix sign or code, as a word after
the number, and by the prefilter.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .schema import RuleFile

_E_FORM = re.compile(r"\de\+?\d")
_SUPERSCRIPT_DIGITS = frozenset("⁰¹²³⁴⁵⁶⁷⁸⁹")


def alternation(words: Iterable[str]) -> str:
    """Escaped words as one regex alternation, longest first (so "trillion" wins over "t")."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def _has_any(low: str, parts: Iterable[str]) -> bool:
    return any(part in low for part in parts)


@dataclass(frozen=True)
class MetricRules:
    """Lexicons of ``models/metrics.json`` with everything derived from them."""

    number_words: dict[str, float]
    scales: dict[str, float]
    fold_words: dict[str, float]
    currencies: dict[str, str]  # sign, code or name (lowercased) -> ISO code
    time_units: dict[str, str]
    time_unit_days: dict[str, float]
    ordinals: dict[str, int]
    qualifiers_before: tuple[tuple[str, str, re.Pattern[str]], ...]
    qualifiers_after: tuple[tuple[str, str, re.Pattern[str]], ...]
    label_words: frozenset[str]
    forecast_cues: frozenset[str]
    forecast_pattern: re.Pattern[str]
    # derived word sets and signs
    counted_words: frozenset[str] = field(default=frozenset())  # words that are, or scale, a number
    signs: frozenset[str] = frozenset()  # currency signs ("$", "us$", "€")
    codes: frozenset[str] = frozenset()  # three-letter currency codes ("usd", "yen")
    currency_names: frozenset[str] = frozenset()  # currency words written after a number ("dollars")
    sign_chars: re.Pattern[str] = re.compile(r"\d")  # a digit, % or currency sign
    # the span patterns, in the order they claim text (the first to claim a stretch wins)
    patterns: dict[str, re.Pattern[str]] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> MetricRules:
        """Read and check ``metrics.json``; build its patterns.

        Raises:
            ConfigError: A key is missing or of the wrong type (the message names the file and key).
        """
        file = RuleFile(path)
        currencies = {k.lower(): v for k, v in file.names("currencies").items()}
        rules = cls(
            number_words=file.numbers("number_words"), scales=file.numbers("scales"),
            fold_words={k.lower(): v for k, v in file.numbers("fold_words").items()},
            currencies=currencies, time_units={k.lower(): v for k, v in file.names("time_units").items()},
            time_unit_days=file.numbers("time_unit_days"),
            ordinals={k: int(v) for k, v in file.numbers("ordinals").items()},
            qualifiers_before=_qualifiers(file.pairs("qualifiers_before"), r"(?:^|\W){}\s*$"),
            qualifiers_after=_qualifiers(file.pairs("qualifiers_after"), r"\s*{}\b"),
            label_words=frozenset(file.words("label_words")),
            forecast_cues=frozenset(file.words("forecast_cues")),
            forecast_pattern=re.compile(r"\b(?:" + alternation(file.words("forecast_cues")) + r")\b"),
        )
        return rules._derived()

    def _derived(self) -> MetricRules:
        """The word sets, signs and span patterns built from the lexicons."""
        signs = frozenset(c for c in self.currencies if not c.isalpha())
        codes = frozenset(c for c in self.currencies if c.isalpha() and len(c) == 3)
        names = frozenset(c for c in self.currencies if c.isalpha() and len(c) > 3)
        counted = frozenset(w.lower() for w in (*self.number_words, *self.scales, *self.fold_words)
                            if len(w) > 2)
        sign_chars = "".join(sorted({ch for s in signs for ch in s if not ch.isalpha()}))
        return dataclasses.replace(self, counted_words=counted, signs=signs, codes=codes,
                                   currency_names=names,
                                   sign_chars=re.compile(f"[\\d%{re.escape(sign_chars)}]"),
                                   patterns=self._patterns(signs, codes, names))

    def _patterns(self, signs: frozenset[str], codes: frozenset[str],
                  names: frozenset[str]) -> dict[str, re.Pattern[str]]:
        words = [w for w in self.number_words if w not in ("a", "an")]
        word_num = rf"(?:(?:{alternation(words)})(?:-(?:{alternation(words)}))?)"
        spelled = alternation(w for w in self.scales if len(w) > 2)  # thousand, million, ...
        scale_words = alternation(w for w in self.scales if len(w) > 1)
        short = "".join(sorted(w for w in self.scales if len(w) == 1))
        num = (rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|{word_num}"
               rf"|an?(?=\s+(?:{spelled})))")
        # money is also printed with its thousands grouped by spaces ("35 000 000 EUR") and cut short
        # ("$700k")
        money = (rf"(?P<num>\d{{1,3}}(?:[ \u00a0\u2009\u202f]\d{{3}})+(?:[.,]\d+)?(?!\d)"
                 rf"|{num[len('(?P<num>'):]}")
        scale = rf"(?:[\s-]*(?P<scale>{scale_words})\b)?"
        money_scale = rf"(?:[\s-]*(?P<scale>{scale_words})\b|(?P<short>[{short}])(?![\w]))?"
        per = rf"(?:\s*(?:/|per\s+|a\s+)(?P<per>{alternation(self.time_units)})\b)?"
        code = alternation(codes)
        suffixed = alternation(names | signs)
        time_units = alternation(self.time_units)
        periods = alternation(self.time_unit_days)
        return {
            "currency_prefix": re.compile(
                rf"(?:(?P<cur>{alternation(signs)})|(?<![A-Za-z])(?P<code>{code})\s)\s?{money}{money_scale}{per}",
                re.I),
            "currency_suffix": re.compile(
                rf"(?<![\w.]){money}{money_scale}\s*(?:(?P<cur>{suffixed})|(?P<code>{code}))"
                rf"(?![A-Za-z]){per}", re.I),
            "power_of_ten": re.compile(
                r"(?<![\w.])(?:(?P<mant>\d(?:\.\d+)?)\s?[×x*]\s?)?10\s?(?:\^|\*\*)\s?(?P<exp>[-−]?\d{1,3})(?!\d)"
                r"|(?<![\w.])10(?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})"
                r"|(?<![\w.])(?P<mant2>\d(?:\.\d+)?)[eE]\+?(?P<exp2>\d{1,2})(?![\w.])"),
            "bandwidth": re.compile(
                rf"(?<![\w.]){num}\s?(?P<prefix>[kMGT])(?:bit/s|bps|b/s|bits? per second)\b"),
            "percent": re.compile(rf"(?<![\w.]){num}[\s\u00a0\u202f]?"
                                  r"(?:%|-?\s?percent\b|per cent\b|percentage points?\b)", re.I),
            "model_size": re.compile(rf"\b{num}{scale}\s+(?P<what>parameters|tokens)\b", re.I),
            # not a standard's designation ("IEEE 802.1X", "802.11ac")
            "multiplier": re.compile(
                rf"(?<![\w.])(?!\d{{3,}}\.\d+[a-z]+\b){num}(?:\s?x\b|\s+times\b|-?fold\b)"
                rf"|\b(?P<foldword>{alternation(self.fold_words)})\b", re.I),
            "duration": re.compile(
                rf"\b{num}[\s-](?:(?:business|working|calendar)\s+)?(?P<tu>{time_units})s?\b"
                r"(?!\s+(?:ago|old)\b)(?!-old)", re.I),
            # "on the twentieth day following its publication": a law's period, counted by an ordinal
            "ordinal_duration": re.compile(
                rf"\b(?P<ord>{alternation(self.ordinals)}|\d{{1,3}}(?:st|nd|rd|th))\s+"
                rf"(?P<tu>{periods})\s+(?=(?:following|after|from)\b)", re.I),
            "phone": re.compile(r"\(?\b\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b"),
        }

    def could_match(self, kind: str, low: str, words: set[str]) -> bool:
        """Whether pattern ``kind`` could match a sentence at all: a word or sign it cannot match
        without (``low`` is the lowered sentence, ``words`` its \\w+ words). Checking this first skips
        most regex scans and changes no match."""
        if kind == "currency_prefix":
            return _has_any(low, self.signs) or not words.isdisjoint(self.codes)
        if kind == "currency_suffix":
            return (_has_any(low, self.signs) or not words.isdisjoint(self.currency_names)
                    or not words.isdisjoint(self.codes))
        if kind == "power_of_ten":
            return ("^" in low or "**" in low or bool(_E_FORM.search(low))
                    or not _SUPERSCRIPT_DIGITS.isdisjoint(low))
        if kind == "bandwidth":
            return "bit" in low or "bps" in low or "b/s" in low
        if kind == "percent":
            return "%" in low or "percent" in low or "per cent" in low
        if kind == "model_size":
            return "parameters" in words or "tokens" in words
        if kind == "multiplier":
            return "x" in low or "times" in words or "fold" in low or not words.isdisjoint(self.fold_words)
        if kind == "duration":
            return _has_any(low, self.time_units)
        if kind == "ordinal_duration":
            return (("following" in words or "after" in words or "from" in words)
                    and _has_any(low, self.time_unit_days))
        return True


Qualifier = tuple[str, str, re.Pattern[str]]  # (phrase, label, pattern)


def _qualifiers(pairs: tuple[tuple[str, str], ...], form: str) -> tuple[Qualifier, ...]:
    """(phrase, label, pattern) for the qualifiers written just before or just after a number."""
    return tuple((phrase, label, re.compile(form.format(re.escape(phrase)))) for phrase, label in pairs)
