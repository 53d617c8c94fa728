"""Claims: direct quotations and reported speech, with the speaker resolved, hedging and type.

Cue verbs, hedges and type cues live in ``models/claim_cues.json``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Doc, Token

from ..nlp import lemma, text_of
from ..records import Claim
from ..rules import ClaimRules, Rules
from . import WORD, register
from .context import BYLINE, DocContext

_QUOTE = re.compile(r"[“\"]([^”\"]{3,}?)(?:[”\"]|$)")
_ACCORDING = re.compile(r"\baccording to ([^,.;]+)", re.I)
_PERCENT_CHANCE = re.compile(r"(\d{1,3})\s?(?:%|percent)\s+(?:chance|probability|likelihood)", re.I)


def might_hold_claim(text: str, rules: Rules) -> bool:
    """Cheap pass: quotation marks, 'according to', or a cue verb outside a name (the cues are
    single words, so a set of words is checked rather than a regex alternation)."""
    text = rules.claims.not_cues.sub("", text)
    if any(mark in text for mark in "“\"”"):
        return True
    low = text.lower()
    words = set(WORD.findall(low))
    return ("according to" in low or not rules.claims.cue_words.isdisjoint(words)
            or BYLINE.search(low) is not None
            or (not words.isdisjoint(_ESTIMATE_VERBS_FORMS) and not words.isdisjoint(_ESTIMATE_NOUNS)))


# "He put the probability of X at 60 percent": an estimate reported with no verb of saying
_ESTIMATE_VERBS = frozenset(("put", "place", "peg", "set", "estimate"))
_ESTIMATE_VERBS_FORMS = frozenset(("put", "puts", "putting", "place", "places", "placed", "placing", "peg",
                                   "pegs", "pegged", "set", "sets", "estimate", "estimates", "estimated"))
_ESTIMATE_NOUNS = frozenset(("probability", "chance", "chances", "odds", "likelihood", "risk", "risks"))


def _estimate(verb: Token) -> str | None:
    """What an estimate verb reports: "put the probability of X at 60 percent" -> the whole estimate."""
    # the tag first: it is cheaper than the lemma, which most tokens then never need
    if verb.pos_ not in ("VERB", "AUX") or lemma(verb).lower() not in _ESTIMATE_VERBS:
        return None
    objects = [c for c in verb.children if c.dep_ == "dobj" and lemma(c).lower() in _ESTIMATE_NOUNS]
    # "at 60 percent": the parser often hangs the "at" on a word in between, so any "at" + number will do
    at = [t for t in verb.subtree if t.lower_ == "at" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].like_num]
    if not objects or not at:
        return None
    words = [t for t in verb.subtree if t.i > verb.i]
    return "".join(t.text_with_ws for t in words).strip(" ,.;:")


def might_attribute(doc: Doc, rules: Rules) -> bool:
    """Whether a sentence parsed without entities can yield a claim: :func:`claims` up to
    resolving the speaker, which is where NER is read."""
    cues = rules.claims
    text = text_of(doc)
    if BYLINE.search(text):
        return True  # the context reads the authors' names
    quotes = _quotes(text, cues)
    if quotes:
        inside = {i for m in quotes for i in range(m.start(), m.end())}
        return text.lstrip()[:1] in "“\"" or any(_is_reporting_cue(t, cues) and t.idx not in inside
                                                 for t in doc)
    if _ACCORDING.search(text):
        return True
    return any((_is_reporting_cue(t, cues) and _content(t) is not None or _estimate(t) is not None)
               and _subject(t) is not None for t in doc)


@register("claims", prefilter=might_hold_claim, needs_entities=might_attribute)
def claims(doc: Doc, context: DocContext) -> Iterator[Claim]:
    """Yield the attributed claims of one parsed sentence.

    Args:
        doc: The sentence parsed by the full pipeline.
        context: The document being read (speaker resolution state).
    """
    quotes = _quotes(text_of(doc), context.rules.claims)
    if quotes:
        yield from _quotations(doc, quotes, context)
        return
    yield from _reported(doc, context)


def _quotes(text: str, cues: ClaimRules) -> list[re.Match[str]]:
    return [m for m in _QUOTE.finditer(text) if len(m.group(1).split()) >= 4 and not _is_title(text, m, cues)]


def _is_cue(token: Token, cues: ClaimRules) -> bool:
    return lemma(token).lower() in cues.cue_verbs


def _is_reporting_cue(token: Token, cues: ClaimRules) -> bool:
    """A cue verb; the small model sometimes tags one ('Anthropic states the ...') as a noun, so its clause
    decides."""
    # the clause is checked first: it is cheaper than the lemma, which most tokens then never need
    return ((token.pos_ in ("VERB", "AUX") or any(c.dep_ == "ccomp" for c in token.children))
            and _is_cue(token, cues))


def _is_title(text: str, quote: re.Match[str], cues: ClaimRules) -> bool:
    """'a report titled “When AI Builds Itself”' quotes a name, not a statement."""
    before = text[:quote.start()].rstrip(" ,").lower().split()
    return bool(before) and before[-1] in cues.title_cues


def _quotations(doc: Doc, quotes: list[re.Match[str]], context: DocContext) -> Iterator[Claim]:
    cues = context.rules.claims
    inside = {i for m in quotes for i in range(m.start(), m.end())}
    # a verb of saying, not a noun that is one's namesake ("the report notes": "report" is the speaker)
    cue = next((t for t in doc if _is_reporting_cue(t, cues) and t.idx not in inside), None)
    speaker_token = _subject(cue) if cue is not None else None
    if cue is None and text_of(doc).lstrip()[:1] not in "“\"":
        return  # scare quotes inside an unattributed sentence
    if speaker_token is not None:
        speaker, words = _speaker(speaker_token, context)
    else:  # a quotation continuing the previous speaker's words
        # set only by this module's extractors: a resolved speaker, or None
        speaker, words = context.last_speaker, None
    if speaker is None and cue is None:
        return
    context.last_speaker = speaker
    text = " ".join(m.group(1).strip().rstrip(",") for m in quotes)
    yield Claim(
        evidence=context.evidence(quotes[0].start(), quotes[-1].end()), speaker=speaker, text=text,
        quoted=True,
        cue=lemma(cue) if cue is not None else None, speaker_text=words, certainty=_certainty(text, cues),
        negated=_negated(cue, cues), claim_type=_claim_type(text, cues),
    )


def _reported(doc: Doc, context: DocContext) -> Iterator[Claim]:
    according = _ACCORDING.search(text_of(doc))
    if according:
        span = doc.char_span(according.start(1), according.end(1), alignment_mode="expand")
        if span is not None:
            speaker, words = _speaker(span.root, context)
            rest = (text_of(doc)[:according.start()] + text_of(doc)[according.end():]).strip(" ,.")
            yield _claim(doc, context, speaker, words, rest, cue="according to", negated=False)
            return
    for token in doc:
        estimate = _estimate(token)
        if not _is_reporting_cue(token, context.rules.claims) and estimate is None:
            continue
        content = _content(token) if estimate is None else estimate
        subject = _subject(token)
        if content is None or subject is None:
            continue
        speaker, words = _speaker(subject, context)
        if speaker is None:
            continue
        context.last_speaker = speaker
        yield _claim(doc, context, speaker, words, content, cue=lemma(token),
                     negated=_negated(token, context.rules.claims))
        return


def _claim(doc: Doc, context: DocContext, speaker: str | None, words: str | None, text: str, *, cue: str,
           negated: bool) -> Claim:
    cues = context.rules.claims
    return Claim(evidence=context.evidence(0, len(text_of(doc))), speaker=speaker, text=text, quoted=False,
                 cue=cue, speaker_text=words, certainty=_certainty(text, cues), negated=negated,
                 claim_type=_claim_type(text, cues))


def _content(cue: Token) -> str | None:
    """The reported words: a clausal complement, or what someone is accused of."""
    for child in cue.children:
        if child.dep_ in ("ccomp", "xcomp") and child.i > cue.i:
            return _text(child)
    if lemma(cue) in ("accuse", "criticize", "criticise"):
        parts = [c for c in cue.children if c.dep_ in ("dobj", "prep") and c.i > cue.i]
        if parts:
            return " ".join(_text(p) for p in parts)
    head = cue.head
    if cue.dep_ in ("parataxis", "advcl", "ccomp") and head.i != cue.i:
        # 'X will not stop alone, the post says.' / 'The blocks, they write, are in place.'
        inner = {t.i for t in cue.subtree}
        words = [t for t in head.subtree if t.i not in inner]
        return "".join(t.text_with_ws for t in words).strip(" ,.;:")
    return None


def _text(token: Token, stop: int | None = None) -> str:
    words = [t for t in token.subtree if stop is None or t.i < stop]
    return "".join(t.text_with_ws for t in words).strip(" ,.;:")


def _subject(cue: Token) -> Token | None:
    for child in cue.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ not in ("that", "which", "it"):
            return child
    if cue.dep_ == "ROOT":
        # "Anthropic states the company ...": the small model may read the name as a modifier of the verb
        name = next((c for c in cue.lefts
                     if c.dep_ in ("amod", "compound", "npadvmod") and c.text[:1].isupper()), None)
        if name is not None:
            return name
    if cue.dep_ in ("conj", "xcomp", "advcl") and cue.head.i != cue.i:
        return _subject(cue.head)
    return None


def _speaker(token: Token, context: DocContext) -> tuple[str | None, str]:
    """Resolve the words naming a speaker to a canonical actor (or the plain words)."""
    phrase_tokens = [t for t in token.subtree if t.dep_ not in ("relcl", "acl", "appos") or t == token]
    words = " ".join(t.text for t in phrase_tokens)
    span = token.doc[phrase_tokens[0].i: phrase_tokens[-1].i + 1] if phrase_tokens else None
    people = [e for e in (span.ents if span is not None else []) if e.label_ == "PERSON"]
    if len(people) >= 2:
        names = tuple(context.actors.canonical(p.text) for p in people)
        if "author" in words.lower() or "researcher" in words.lower() or token.lower_ in ("they",):
            context.text_authors = names
        return "; ".join(names), words
    if people:
        name = context.actors.canonical(people[0].text)
        context.last_person = name
        return name, words
    titles = context.rules.claims.speaker_titles
    for candidate in (words, token.text, _strip_titles(words, titles)):
        resolved = context.resolve_actor(candidate)
        if resolved:
            return resolved, words
    named = context.actors.pattern.search(words)
    if named:  # 'a new report from Anthropic', 'the letter, organised by the Future of Life Institute'
        return context.actors.resolve(named.group(1)), words
    if token.lower_ in ("they", "them") and context.text_authors:
        return "; ".join(context.text_authors), words
    if token.pos_ in ("NOUN", "PROPN"):
        return _strip_titles(words, titles).lower(), words
    return None, words


def _strip_titles(words: str, titles: tuple[str, ...]) -> str:
    lowered = words.lower()
    for title in titles:  # longest first
        lowered = lowered.replace(title, " ")
    return re.sub(r"\s+", " ", re.sub(r"\b(the|a|an|some|many|several)\b", " ", lowered)).strip(" ,")


def _certainty(text: str, cues: ClaimRules) -> float:
    chance = _PERCENT_CHANCE.search(text)
    if chance:
        return int(chance.group(1)) / 100
    words = set(re.findall(r"[a-z]+", text.lower()))
    weights = [w for hedge, w in cues.hedges.items() if hedge in words]
    return min(weights) if weights else 1.0


def _negated(cue: Token | None, cues: ClaimRules) -> bool:
    if cue is None:
        return False
    return lemma(cue) in cues.negating_cues or any(c.dep_ == "neg" for c in cue.children)


def _claim_type(text: str, cues: ClaimRules) -> str:
    """Normative, evaluative or forecast by the first of their word lists the text holds; else factual."""
    lowered = f" {text.lower()} "
    return next((kind for kind, words in cues.type_words if words.search(lowered)), "factual")
