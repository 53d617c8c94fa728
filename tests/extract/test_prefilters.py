"""Prefilters decide which sentences are parsed at all, so a sentence they drop is a finding lost.

They check word sets rather than regex alternations (for speed); these tests pin them to the
whole-word regexes they replaced, on text built from the cue lists themselves.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from pipeline.config import SHIPPED_MODELS
from pipeline.errors import ConfigError
from pipeline.extract import claims, commitments, events, metrics
from pipeline.rules import load_rules
from pipeline.rules.claims import ClaimRules

RULES = load_rules(SHIPPED_MODELS)


_CLAIM_CUES = json.loads((SHIPPED_MODELS / "claim_cues.json").read_text(encoding="utf-8"))


def _alternation(words) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


def _commitment_regex() -> re.Pattern[str]:
    s = RULES.modals
    modals = _alternation(a for a in s.aux if a.isalpha() and a != "wo")
    anywhere = _alternation({*s.phrases, *s.negative_starts, *s.negative_lead_ins})
    return re.compile(rf"\b(?:{modals})(?:\b|(?=n[’']t))|\bwo(?=n[’']t)|[’']ll\b"
                      rf"|\b(?:{_alternation(s.verbs)})(?:s|es)?\b"
                      rf"|\b(?:{_alternation(v[:-1] if v.endswith('e') else v for v in s.proposal_verbs)})"
                      rf"|{anywhere}", re.I)


def _claim_regex() -> re.Pattern[str]:
    verbs = _CLAIM_CUES["cue_verbs"]
    participles = {(v[:-1] if v.endswith("e") and not v.endswith("ee") else v) + "ing" for v in verbs}
    # the third person: "-ies" after a consonant and "y", "-es" after a sibilant, else "-s"
    third = {v[:-1] + "ies" if re.search(r"[^aeiou]y$", v) else v + "es" if re.search(r"(s|sh|ch|x|z)$", v)
             else v + "s" for v in verbs}
    words = {*verbs, *participles, *third, *_CLAIM_CUES["cue_forms"]}
    return re.compile(rf"[“\"”]|according to|\b(?:{_alternation(words)})\b"
                      r"|\b(?:authored|written|co-written) by\b", re.I)


def _metric_gate_regex() -> re.Pattern[str]:
    words = {*RULES.metrics.counted_words, *RULES.metrics.ordinals}
    return re.compile(rf"\d|[%$€£¥]|\bper\s?cent|\b(?:{_alternation(words)})\b", re.I)


def _estimate_regexes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return (re.compile(rf"\b(?:{_alternation(claims._ESTIMATE_VERBS_FORMS)})\b", re.I),
            re.compile(rf"\b(?:{_alternation(claims._ESTIMATE_NOUNS)})\b", re.I))


def _event_regexes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lex = RULES.events
    nouns = {form for noun in lex.objects for form in (noun, noun + "s", noun + "es")
             + ((noun[:-1] + "ies",) if noun.endswith("y") else ())}
    return (re.compile(rf"\b(?:{_alternation({v[:5] for v in lex.verbs})})", re.I),
            re.compile(rf"\b(?:{_alternation(nouns)})\b", re.I))


def _vocabulary() -> list[str]:
    s = RULES.modals
    cue_words = [*s.aux, *s.verbs, *s.proposal_verbs, *s.phrases, *s.negative_starts,
                 *s.negative_lead_ins, *_CLAIM_CUES["cue_verbs"], *_CLAIM_CUES["cue_forms"],
                 *_CLAIM_CUES["not_cues"], *RULES.metrics.counted_words, *RULES.metrics.ordinals,
                 *claims._ESTIMATE_VERBS_FORMS, *claims._ESTIMATE_NOUNS, *RULES.events.verbs,
                 *RULES.events.objects]
    single = [w for w in cue_words if w.isalpha()]
    derived = [w + ending for w in single for ending in ("s", "es", "ing", "ed", "n't", "n’t", "n'T", "_")]
    return cue_words + derived + ["according to", "per cent", "percent", "won", "can", "cannot",
                                  "urging", "states",
                                  "Section", "the", "x", "5", "2026", "1,000", "10^26", "FLOP", "$", "%"]


_PIECES = st.one_of(
    st.sampled_from(_vocabulary()),
    # glued on: word edges
    st.sampled_from(["s", "es", "ing", "ed", "n't", "n’t", "'ll", "’ll", "'t", "_", "2"]),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC '’\"“”-.,?:;\n\t0123456789%$€", max_size=6),
)
_TEXTS = st.lists(st.tuples(_PIECES, st.sampled_from(["", " ", "  ", "\n", "-", "'", "’", ", "])),
                  max_size=12).map(
    lambda parts: "".join(p + sep for p, sep in parts))


@hsettings(max_examples=1500, deadline=None)
@given(_TEXTS, st.booleans())
def test_word_set_prefilters_equal_the_whole_word_regexes(text, upper):
    text = text.upper() if upper else text
    assert commitments.might_hold_commitment(text, RULES) == (
        not text.rstrip().endswith("?") and bool(_commitment_regex().search(text)))
    named = RULES.claims.not_cues.sub("", text)
    verb, noun = _estimate_regexes()
    assert claims.might_hold_claim(text, RULES) == (bool(_claim_regex().search(named))
                                                    or bool(verb.search(named) and noun.search(named)))
    assert metrics._gate(text, *metrics._lowered_words(text), RULES.metrics) == bool(
        _metric_gate_regex().search(text))
    verb, noun = _event_regexes()
    assert events.might_hold_event(text, RULES) == (bool(verb.search(text)) and bool(noun.search(text)))


_COMMITMENT = commitments.might_hold_commitment
_METRIC = metrics.might_hold_metric
_CLAIM = claims.might_hold_claim


@pytest.mark.parametrize("prefilter, text, expected", [
    (_COMMITMENT, "They won't sign it.", True),
    (_COMMITMENT, "It shouldn’t be deployed.", True),
    (_COMMITMENT, "We'll publish the results.", True),
    (_COMMITMENT, "We commit to publishing evaluations.", True),
    (_COMMITMENT, "The lab urges a pause.", True),
    (_COMMITMENT, "The lab is urging a pause.", True),
    (_COMMITMENT, "She keeps advocating for a pause.", True),
    (_COMMITMENT, "Will the lab publish it?", False),
    (_COMMITMENT, "The team won the award.", False),
    (_COMMITMENT, "Willingness matters.", False),
    (_METRIC, "Costs rose to $965 billion.", True),
    (_METRIC, "More than 80 percent of merged code.", True),
    (_METRIC, "It grew tenfold.", True),
    (_METRIC, "Sixty per\ncent agreed.", True),
    (_METRIC, "Three labs signed.", True),
    (_METRIC, "The first lab signed.", False),  # ordinals modify, they do not count
    (_METRIC, "See Section 4.", False),
    (_METRIC, "No numbers here at all.", False),
    (_CLAIM, "The company said it would pause.", True),
    (_CLAIM, "“We will not ship this,” she wrote.", True),
    (_CLAIM, "According to the filing, revenue doubled.", True),
    (_CLAIM, "The United States and the Member States signed.", False),
], ids=lambda v: getattr(v, "__name__", None))
def test_prefilter_cases(prefilter, text, expected):
    assert prefilter(text, RULES) is expected


def test_unit_patterns_are_skipped_only_when_they_cannot_match():
    for text in ["US$5 bn", "5 million dollars", "10^26 FLOP", "1e25 floating-point operations",
                 "7 billion parameters",
                 "3x faster", "ten times more", "a twofold rise", "for three years", "40%"]:
        low, words = metrics._lowered_words(text)
        matching = [kind for kind, pattern in RULES.metrics.patterns.items()
                    if kind != "phone" and pattern.search(text)]
        assert matching, text
        assert all(RULES.metrics.could_match(kind, low, words) for kind in matching), text


def test_a_phrase_among_the_claim_cue_words_is_a_clear_error(tmp_path):
    """The claims prefilter checks single words: a phrase in the cue lists would never match, so the
    rule file is refused when it is read, naming the file and the key."""
    listed = dict(_CLAIM_CUES, cue_forms=[*_CLAIM_CUES["cue_forms"], "pointed out"])
    path = tmp_path / "claim_cues.json"
    path.write_text(json.dumps(listed), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"claim_cues\.json: key 'cue_verbs'.*single words.*pointed out"):
        ClaimRules.read(path)
