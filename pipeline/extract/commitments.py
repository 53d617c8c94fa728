"""Commitments: who promises or forbids what, how strongly, under which conditions, by when.

Strength comes from one ordered scale in ``models/modals.json``; rules in
policies ("Don't use our services to ...", "Providers shall ...") are
commitments too, with the publisher or the addressee as actor. List items
under a lead-in ("Don't use our services to:") inherit its modal.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence

from spacy.tokens import Doc, Token

from ..dates import resolve_deadline, resolve_time
from ..nlp import lemma, text_of
from ..records import Commitment, Document, Sentence
from ..rules import ModalRules, Rules
from ..structure import BULLETS
from . import WORD, register
from .context import DocContext

_DEADLINE = re.compile(
    r"\b(within\s+(?:\d+|[a-z]+)\s+(?:days?|weeks?|months?|years?)(?:\s+of\s+[^,;.]+)?|by\s+(?:the\s+end\s+of\s+)?"
    r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+)?(?:\d{1,2},?\s+)?(?:19|20)\d\d"
    r"|in the coming (?:days|weeks|months|years)|before (?:deployment|release|launch))", re.I)


_CONTRACTED_WILL = re.compile(r"[’']ll\b")


def might_hold_commitment(text: str, rules: Rules) -> bool:
    """Cheap pass: a modal (also as "shouldn't", "won't", "'ll"), a commitment or proposal verb,
    a prohibition cue; not a question. Word sets rather than one regex alternation, which Python's
    re scans at every position."""
    if text.rstrip().endswith("?"):
        return False
    scale = rules.modals
    modals, verbs, stems, anywhere = scale.modal_words, scale.verb_forms, scale.proposal_stems, scale.anywhere
    low = text.lower()
    if any(phrase in low for phrase in anywhere) or ("ll" in low and _CONTRACTED_WILL.search(low)):
        return True
    for match in WORD.finditer(low):
        word = match.group()
        if word in modals or word in verbs or word.startswith(stems):
            return True
        if (word.endswith("n") and (word[:-1] in modals or word == "won")
                and low[match.end():match.end() + 2] in ("'t", "’t")):
            return True
    return False


# a bullet the layout kept inside a paragraph is still a list item
_BULLET = re.compile(r"^\s*[•▪◦]\s")
_ITEM_MARK = re.compile(rf"^\s*(?:{BULLETS}|\(?[a-z0-9]{{1,3}}[.)])\s")


def list_items_to_parse(document: Document, sentences: Sequence[Sentence]) -> set[int]:
    """List items that can be rules without cue words: every item of a policy (imperatives,
    "Comply with ..."), and elsewhere items in a run of items after a line ending with ':'."""
    wanted: set[int] = set()
    after_colon = False
    for sentence in sentences:
        text = sentence.text.rstrip()
        if sentence.kind != "list_item" and not _BULLET.match(text):
            after_colon = text.endswith(":")
            continue
        if (after_colon or document.kind == "policy") and not text.endswith("?"):
            wanted.add(sentence.index)
        after_colon = after_colon or text.endswith(":")
    return wanted


@register("commitments", prefilter=might_hold_commitment, list_items=list_items_to_parse, skip_headings=True)
def commitments(doc: Doc, context: DocContext) -> Iterator[Commitment]:
    """Yield the commitments stated in one parsed sentence.

    Args:
        doc: The sentence parsed by the full pipeline.
        context: The document being read.
    """
    sentence = context.sentence
    assert sentence is not None
    if sentence.kind == "heading" or text_of(doc).rstrip().endswith("?"):
        return
    lead_in = _lead_in(context)
    if sentence.kind == "list_item" and lead_in is not None:
        own = _stated(doc, context) if context.document.kind == "legislation" else None
        opens_list = text_of(doc).rstrip().endswith(":")
        legal = _legal_lead_in(doc, context) if own is None and opens_list else None
        if legal is not None:  # "(c) ..., the Administrator shall:" starts a list of its own
            context.lead_in = (sentence.index, legal)
            return
        if own is None or own.modal == "imperative":
            item = _inherited(doc, context, lead_in)
            if item is not None:
                yield from _each_actor(item)
            return
        context.lead_in = None  # "5. The Commission shall ...": a numbered paragraph, not an item
        if opens_list:  # "(iv) ..., the Secretary shall establish a program that:" binds, and its items too
            context.lead_in = (sentence.index, own)
        yield own
        return
    if text_of(doc).rstrip().endswith(":"):
        legal = _legal_lead_in(doc, context)
        lead = legal or _stated(doc, context) or _negative_lead_in(doc, context)
        if lead is not None and (legal is not None or _is_lead_in(doc) or lead.polarity == "negative"):
            context.lead_in = (sentence.index, lead)
            return  # the rules are the list items that follow
        if lead is not None and context.document.kind in ("legislation", "policy"):
            # "Signatories commit to a process that involves three steps:" binds by itself and
            # introduces the parts that bind the same party
            context.lead_in = (sentence.index, lead)
            yield from _each_actor(lead)
            return
    found = _stated(doc, context)
    if found is not None:
        yield from _each_actor(found)


def _each_actor(found: Commitment) -> Iterator[Commitment]:
    """One commitment per obliged actor: "Led by DOC and DOE, ..." binds each of them."""
    actors = (found.actor or "").split("; ")
    if len(actors) < 2:
        yield found
        return
    for actor in actors:
        yield dataclasses.replace(found, actor=actor)


def _lead_in(context: DocContext) -> Commitment | None:
    """The lead-in this list item continues, if every sentence since it is a list item."""
    if context.lead_in is None or context.sentence is None:
        return None
    index, lead = context.lead_in
    between = context.sentences[index + 1:context.sentence.index]
    if all(s.kind == "list_item" for s in between):
        return lead
    context.lead_in = None
    return None


_OBLIGED = re.compile(r"\b(shall|must|should|will|may)(?:\s+\w+ly)?\s*:\s*$", re.I)
_ENUMERATOR = re.compile(r"^\s*(?:\(?(?:[a-z]|[ivxlc]{1,5}|[A-Z]|\d{1,3})[.)])\s*")
# the clauses an order puts before its actor: "Within 270 days of ..., to help ensure ..., the Secretary ..."
_PREAMBLE = re.compile(r"^(?:within|no later than|not later than|to |in order to|by |as |"
                       r"consistent with|pursuant to|in addition|for the purpose|without prejudice|"
                       r"notwithstanding|on the basis|at the request|along|throughout|during|for each|"
                       r"for every|in particular|further|additionally|moreover|at a minimum|at least|"
                       r"where appropriate|as appropriate|in doing so|to that end|in accordance with|"
                       r"in coordination|in consultation|acting through|after|before|upon|following|"
                       r"where|when|if|unless|subject to|and |or |including|through)", re.I)


def _legal_lead_in(doc: Doc, context: DocContext) -> Commitment | None:
    """'(a) Within 270 days of ..., the Secretary of Commerce, acting through ..., shall:' — an order's
    lead-in.

    The parser rarely finds the subject of a modal that closes a long sentence,
    so the actor is read from the clauses: the first one that is not a time,
    purpose or consultation clause names who is obliged.
    """
    text = text_of(doc)
    modal = _OBLIGED.search(text)
    if modal is None or context.document.kind not in ("legislation", "policy"):
        return None
    body = _ENUMERATOR.sub("", text[:modal.start()])
    clauses = [c.strip() for c in re.split(r",\s*", body) if c.strip()]
    actor_clause = next((c for c in clauses if not _PREAMBLE.match(c) and re.search(r"[A-Z]", c)), None)
    if actor_clause is None:
        return None
    actor = re.sub(r"^(?:the|each|every|all)\s+", "", actor_clause, flags=re.I)
    actor = context.resolve_actor(actor) or actor
    word = modal.group(1).lower()
    strength = context.rules.modals.aux.get(word, 2)
    phrase, due, basis = _deadline(text, context)
    return Commitment(
        evidence=context.evidence(0, len(text)), actor=actor, text=text.strip(), action=body.strip(),
        kind="pledge" if strength >= 3 else "plan", strength=strength, modal=word, polarity="positive",
        condition=_condition(doc, context), deadline=phrase, deadline_date=due, deadline_basis=basis,
    )


def _is_lead_in(doc: Doc) -> bool:
    tail = [t for t in doc if not t.is_punct][-3:]
    return bool(tail) and (tail[-1].lower_ in ("to", "not", "must", "shall", "will")
                           or tail[-1].pos_ in ("ADP", "AUX", "VERB"))


def _negative_lead_in(doc: Doc, context: DocContext) -> Commitment | None:
    """'We don't allow the use of our models for the following:' introduces prohibitions."""
    lowered = text_of(doc).lower()
    cue = next((c for c in context.rules.modals.negative_lead_ins if c in lowered), None)
    if cue is None:
        return None
    return _record(doc, context, context.resolve_actor("we"), verb=_root(doc), strength=3, modal=cue,
                   polarity="negative", kind="prohibition")


def _inherited(doc: Doc, context: DocContext, lead: Commitment) -> Commitment | None:
    """A list item under a lead-in: the lead-in's actor, modal and, unless the item sets its own, deadline."""
    text = re.sub(r"^\s*(?:[-*+•]|\d{1,3}[.)]|\(?(?:[a-z]|[ivxlc]{1,5}|[A-Z])\))\s+", "", text_of(doc))
    if len(re.findall(r"[A-Za-z]{2,}", text)) < 2:
        return None  # "4.5.": a section number between items, not an item
    offset = len(text_of(doc)) - len(text)
    deadline = _deadline(text_of(doc), context)
    if deadline == (None, None, None):
        deadline = (lead.deadline, lead.deadline_date, lead.deadline_basis)
    return Commitment(
        evidence=context.evidence(offset, len(text_of(doc))), actor=lead.actor, text=text.strip(),
        action=text.strip().rstrip("."), kind=lead.kind, strength=lead.strength, modal=lead.modal,
        polarity=lead.polarity, condition=_condition(doc, context), deadline=deadline[0],
        deadline_date=deadline[1], deadline_basis=deadline[2],
    )


def _stated(doc: Doc, context: DocContext) -> Commitment | None:
    lowered = _MARKUP.sub("", text_of(doc).lower()).strip()
    s = context.rules.modals
    negative_start = next((n for n in s.negative_starts if lowered.startswith(n)), None)
    if negative_start:  # imperative rule: "Don't use our services to ..."
        actor = context.resolve_actor("we")
        return _record(doc, context, actor, verb=_root(doc), strength=3, modal=negative_start,
                       polarity="negative", kind="prohibition")
    led = re.match(r"^[\W\d]*led by\b", lowered)
    # an item opening a list under "Recommended actions" is one, however the tagger reads its first verb
    sentence = context.sentence
    recommended = _in_recommended(context)
    marked = bool(_ITEM_MARK.match(text_of(doc)))
    opens_item = (sentence is not None and recommended
                  and (sentence.kind == "list_item" and marked or bool(_BULLET.match(text_of(doc)))))
    if opens_item:
        context.bullet = sentence.index if sentence is not None else None
    follows = not opens_item and recommended and _continues_bullet(doc, context)
    acts = _imperative(doc) or led or opens_item or follows
    if context.document.kind in ("policy", "legislation") and acts:
        # "1. **Comply with applicable laws** – for example, don't ..." binds the users; the publisher sets
        # it.
        # "• Led by OSTP, launch ..." in a plan's recommended actions names its lead instead.
        negative = any(n in lowered for n in ("don't", "don’t", "do not", "never"))
        leads = _leads(text_of(doc), context)
        actor = "; ".join(leads) if leads else context.resolve_actor("we")
        if follows and not leads:  # "Issue guidance ..." after "• Led by DOL, fund ...": DOL's action too
            actor = context.bullet_actor or actor
        if recommended and not leads and not follows:  # a plan's unattributed action falls to the government
            actor = _parent(actor, context) or actor
        if opens_item:
            context.bullet_actor = actor
        return _record(doc, context, actor, verb=_root(doc),
                       strength=2 if recommended and not negative else 3,
                       modal="don't" if negative else "recommended" if recommended else "imperative",
                       polarity="negative" if negative else "positive",
                       kind="prohibition" if negative else "plan" if recommended else "pledge")
    for verb, strength, modal in _modal_verbs(doc, s):
        subject = _obliged_object(verb, s) or subject_of(verb)
        # relative clauses describe ("risks that could come"); they do not promise
        if (subject is None or subject.lower_ in ("that", "which", "who")
                or (verb.dep_ == "relcl" and not _infinitive(verb))):
            continue
        # "This should include ...": more of the action above
        if subject.lower_ == "this" and not recommended:
            continue
        if _binds_no_one(subject, modal, context):
            continue
        proposal = lemma(verb).lower() in s.proposal_verbs
        if (_past_fact(verb, s) and not proposal) or _in_condition(verb) or _in_wh_clause(verb):
            continue
        if _ENUMERATOR_WORDS.fullmatch(subject.text + " ") or subject.lower_ in _NOT_SUBJECTS:
            # "(i) consider ...": the enumerator parsed as the subject; "Nothing in this order shall";
            # "..., point (a), may present": a cross-reference the parser took for the subject
            continue
        actor = actor_of(subject, context)
        if not _accountable(subject, actor, strength, context):
            continue
        polarity = "negative" if _negated(verb, doc) else "positive"
        kind = _kind(verb, strength, polarity, s.condition_in(text_of(doc)), s)
        return _record(doc, context, actor, verb=verb, strength=strength, modal=modal, polarity=polarity,
                       kind=kind)
    return None


def _obliged_object(verb: Token, scale: ModalRules) -> Token | None:
    """The object of "X requires the Federal government to act" (see ``obliging_verbs`` in
    models/modals.json), who is bound as a subject of "must" would be. Only in a main clause: "encouraged
    to consider using their authorities to require their regulated entities to ..." binds the ones
    encouraged."""
    if verb.dep_ != "ROOT" or lemma(verb).lower() not in scale.obliging_verbs:
        return None
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None:
        return None
    clauses = [t for t in (*verb.children, *obj.children)
               if t.dep_ in ("xcomp", "ccomp", "advcl", "relcl", "acl")]
    return obj if any(_infinitive(t) for t in clauses) else None


def _continues_bullet(doc: Doc, context: DocContext) -> bool:
    """A later sentence of a bullet in a list of recommended actions that is an action itself: it opens
    with an action verb ("Reform ...", "Issue ...", see ``action_verbs`` in models/modals.json), or with a
    verb the tagger reads after an opening phrase ("Where possible, adopt ...")."""
    sentence = context.sentence
    start = context.bullet
    if (sentence is None or sentence.kind != "list_item" or not isinstance(start, int)
            or start >= sentence.index):
        return False
    since = context.sentences[start + 1:sentence.index + 1]
    if any(s.kind != "list_item" or _BULLET.match(s.text) for s in since):
        return False  # another bullet, or the list ended
    words = [t for t in doc if not t.is_space]
    if words and words[0].is_title and words[0].lower_ in context.rules.modals.action_verbs:
        return True
    comma = next((t.i for t in words[:8] if t.text == ","), None)
    if comma is None or comma + 1 >= len(doc):
        return False
    verb = doc[comma + 1]
    return (verb.tag_ == "VB" and verb.dep_ == "ROOT"
            and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children))


_RECOMMENDED = re.compile(r"\brecommend", re.I)
# a page number the layout took for a heading ("6", "ii") does not start a section
_PAGE_NUMBER = re.compile(r"^\s*(?:\d{1,4}|[ivxlc]{1,6})\s*$", re.I)


def _section(context: DocContext) -> str:
    """The heading the current sentence stands under, looking past page numbers read as headings."""
    sentence = context.sentence
    if sentence is None:
        return ""
    earlier = context.sentences[max(0, sentence.index - 300):sentence.index]
    for candidate in (sentence, *reversed(earlier)):
        if candidate.section and not _PAGE_NUMBER.match(candidate.section):
            return candidate.section
    return ""


def _in_recommended(context: DocContext) -> bool:
    """Whether the sentence stands in a list of recommended actions."""
    return bool(_RECOMMENDED.search(_section(context)))


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _national(subject: Token, context: DocContext) -> bool:
    """'America', 'the United States' (also as 'The U nited States' from a PDF), and 'we' in a
    government's text."""
    if subject.lower_ in ("we", "us"):
        return context.actors.government_of(context.document.publisher) is not None
    words = _letters(" ".join(t.text for t in _head_phrase(subject)))
    return words in {_letters(n) for n in context.rules.modals.national_subjects}


def _binds_no_one(subject: Token, modal: str, context: DocContext) -> bool:
    """A statement in a policy or law that obliges no party.

    National rhetoric outside a list of actions ("America must lead ...", a
    government's "we must ..."), and a forecast or wish about a thing ("AI will
    enable ...", "these tools must be trustworthy"). A thing a party drafts
    binds whoever drafts it ("The Framework will contain ..."), and so does any
    subject of a law's "shall" ("Such reports shall include ...").
    """
    s = context.rules.modals
    if (context.document.kind not in ("policy", "legislation") or modal == "shall"
            or subject.doc.text.rstrip().endswith(":")):
        return False  # a lead-in ("Such actions may include:") is read through the items it introduces
    national = _national(subject, context)
    if national:
        return modal in s.rhetoric_modals and not _in_recommended(context)
    lowered = subject.lower_
    if lowered in ("we", "us", "you", "i", "they", "he", "she", "this"):
        return False
    # a policy's "it will enable ..." is about the thing it last named; a law's "it may" is a party's
    if lowered == "it":
        return context.document.kind == "policy"
    return not _agentive(subject, context) and lemma(subject).lower() not in s.product_nouns
# "Led by DOC through NIST, ...", "..., led by OSTP.", "Through DOE and NSF, ..."
_LEAD = re.compile(r"(?:^[\W\d]*|,\s*)(?:led by|through|via|under the auspices of)\s+(?P<who>[^,;]+?)"
                   r"(?=\s+(?:through|in collaboration|in partnership|in coordination|and consistent)\b"
                   r"|[,;.]|$)", re.I)


def _parent(name: str | None, context: DocContext) -> str | None:
    """The organisation an actor belongs to, from the gazetteer ("White House" -> "Federal Government")."""
    actor = context.actors.get(name)
    return actor.org if actor is not None and actor.type == "org" else None


# where a recommended action names who carries it out: "Led by DOL, ED, NSF, and DOC, ...", "via DOD, DOC,
# DOE", "within NSF and DOE", "under DOL", "At DOL and DOC, ...", "through NIST at DOC"
_CARRIED_BY = re.compile(r"(?:^[\W\d]*|\b)(?:led by|through|via|under the auspices of|within|under|at)\s+"
                         r"(?P<who>[^.;:]+?)(?=,\s+(?!(?:and|or|the)\s)(?-i:[a-z])|[.;:]|"
                         r"\s+(?:to|for|in order|that|which|using|"
                         r"in (?:coordination|collaboration|consultation|partnership))\b|$)", re.I)


_LED_BY = re.compile(r"[\W\d]*led by\b", re.I)
# a body's name follows the phrase at once ("t he DOD" from a PDF too)
_WORDS_BEFORE_BODY = re.compile(r"\b[a-z]{4,}\b")
# bodies named as examples or partners are not the ones who carry an action out ("including NIST within DOC",
# "in collaboration with CAISI at DOC"), unless the action says it is led by them
_EXAMPLES = re.compile(r"\b(?:(?:including|such as|e\.g\.)[^,;]*|(?:collaboration|partnership|coordination|"
                       r"consultation|cooperation)\b[^;.]*)$", re.I)


def _carriers(text: str, context: DocContext) -> list[str]:
    """Known bodies named after a carrying-out phrase, folded into the organisation they belong to
    (NIST and CAISI are the Department of Commerce's)."""
    names: list[str] = []
    at = 0
    while (match := _CARRIED_BY.search(text, at)) is not None:
        who = match.group("who")
        first = context.actors.pattern.search(who)
        if (first is None or _WORDS_BEFORE_BODY.search(who[:first.start()])
                or (_EXAMPLES.search(text[:match.start()]) and not _LED_BY.match(match.group(0)))):
            at = match.start() + 1  # "via collaboration between ...", "at least twice a year under ...",
            continue  # "at Federal agencies, including NIST within DOC": no body carries it out here
        at = match.end()
        for found in context.actors.pattern.finditer(who):
            actor = context.actors.get(context.actors.resolve(found.group(1)))
            if actor is None or actor.type != "org":
                continue
            names.append(actor.org if actor.org and context.actors.get(actor.org) is not None else actor.name)
    return list(dict.fromkeys(names))


def _leads(text: str, context: DocContext) -> list[str]:
    """The agencies a recommended action names as its lead ("Led by DOC, DOE, and NSF, ..."), canonical."""
    carriers = _carriers(text, context)
    if carriers:
        return carriers
    match = _LEAD.search(text)
    if not match:
        return []
    names = []
    for part in re.split(r",\s*(?:and\s+)?|\s+and\s+", match.group("who")):
        part = re.sub(r"\s*\([^)]*\)", "", part).strip()
        part = re.sub(r"^the\s+", "", part, flags=re.I)
        # "CAISI at DOC" is DOC's
        within = re.match(r"^.+?\s+(?:at|within|in)\s+(?:the\s+)?([A-Z].*)$", part)
        # "DOJ's Office of Legal Policy"
        owner = re.match(r"^([A-Z][\w.&]*(?:\s+[A-Z][\w.&]*)*)[’']s\s", part)
        named = within or owner
        part = named.group(1) if named else part
        if part and part[0].isupper():
            names.append(context.resolve_actor(part) or context.resolve_actor("the " + part) or part)
    return list(dict.fromkeys(names))


_MARKUP = re.compile(r"^[\s\-*+•#>]*(?:\(?\d{1,3}[.)]|\(?[a-z][.)])?\s*|\*\*|__|`")


def _imperative(doc: Doc) -> bool:
    """A sentence that opens with a bare verb and has no subject: a rule addressed to the reader."""
    first = next((t for t in doc if t.is_alpha), None)
    if first is None:
        return False
    root = _root(doc)
    return (first.tag_ == "VB" and (first == root or first.head == root)
            and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in root.children)
            and first.lower_ not in ("please", "see", "learn", "read"))


def _modal_verbs(doc: Doc, s: ModalRules) -> Iterator[tuple[Token, int, str]]:
    """(content verb, strength, modal word) in sentence order."""
    lowered = text_of(doc).lower()
    for phrase, strength in s.phrases.items():
        at = lowered.find(phrase)
        if at >= 0:
            span = doc.char_span(at, at + len(phrase), alignment_mode="expand")
            if span is not None:
                yield span.root.head if span.root.dep_ == "aux" else span.root, strength, phrase
    for token in doc:
        # "the Secretary shall, in consultation with ..., create": the parser may take the modal for the
        # subject
        if ((token.dep_ == "aux" or (token.tag_ == "MD" and token.dep_ in ("nsubj", "nsubjpass")))
                and token.lower_ in s.aux and token.head.pos_ in ("VERB", "AUX")):
            head = token.head
            own = s.verbs.get(lemma(head).lower())
            if own is not None and own > s.aux[token.lower_] and token.lower_ == "will":
                yield head, own, lemma(head)  # "will aim to" is as strong as "aim to"
            else:
                yield head, s.aux[token.lower_], token.lower_
        elif token.pos_ == "VERB":
            word = lemma(token).lower()
            if word in s.verbs and token.tag_ in ("VBP", "VBZ", "VB") and not _has_aux(token, s):
                if (any(c.dep_ in ("xcomp", "prep") for c in token.children)
                        or word in ("commit", "pledge", "promise")):
                    yield token, s.verbs[word], word
            elif word in s.proposal_verbs and (
                    token.dep_ in ("ROOT", "xcomp", "ccomp", "conj", "acl", "advcl")
                    or token.dep_ == "relcl" and _infinitive(token)):
                if any(c.dep_ in ("prep", "dobj", "xcomp", "ccomp") for c in token.children):
                    yield token, 2, word


def _infinitive(verb: Token) -> bool:
    """'to advocate': an infinitive the parser may attach to a noun ('took the time to advocate for a
    pause') says what the sentence's subject did, unlike a relative clause ('risks that could come')."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _in_condition(verb: Token) -> bool:
    """True inside 'if ...' / 'unless ...': the promise is the main clause, not its condition."""
    node = verb
    while node.head.i != node.i:
        if node.dep_ == "advcl" and any(c.dep_ == "mark" for c in node.children):
            return True
        node = node.head
    return False


def _in_wh_clause(verb: Token) -> bool:
    """'This policy sets out how Anthropic will manage ...' describes, it does not promise."""
    return verb.dep_ in ("ccomp", "advcl", "xcomp") and any(c.tag_ in ("WRB", "WP", "WDT")
                                                            for c in verb.children)


def _accountable(subject: Token, actor: str | None, strength: int, context: DocContext) -> bool:
    """Whether the subject can be held to the statement.

    In policies and legislation an addressee ("Developers", "Agencies") binds;
    elsewhere (news, reports) only "we" or a known actor does, and a weak modal
    ("could", "may") there is a forecast, not a commitment.
    """
    known = (subject.lower_ in ("we", "us") or context.actors.get(actor) is not None
             or actor == context.focus_org)
    if context.document.kind in ("policy", "legislation"):
        return True
    return known and strength >= 2


def _has_aux(token: Token, scale: ModalRules) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in scale.aux for c in token.children)


def _past_fact(verb: Token, scale: ModalRules) -> bool:
    return verb.tag_ in ("VBD",) and not _has_aux(verb, scale)


def subject_of(verb: Token) -> Token | None:
    current = verb
    for _ in range(5):
        for child in current.children:
            # the modal read as the subject, or the subject hung on the modal ("providers established in
            # third countries shall, by written mandate, appoint")
            if child.dep_ in ("nsubj", "nsubjpass", "expl", "aux") and child.tag_ == "MD":
                inner = next((c for c in child.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if inner is not None:
                    return inner
            elif child.dep_ in ("nsubj", "nsubjpass", "expl"):
                return child
        # climb clause links ('took the time to advocate' → 'took') to the verb that has the subject
        # ('took the time to advocate' may parse as a relative clause of 'time')
        if ((current.dep_ in ("xcomp", "conj", "ccomp", "advcl", "acl", "dobj") or current.dep_ == "relcl"
             and _infinitive(current)) and current.head.i != current.i):
            current = current.head
        else:
            break
    return None


def actor_of(subject: Token, context: DocContext) -> str | None:
    if subject.dep_ == "nsubjpass":  # 'Any change must be approved by the board'
        agent = next((c for c in subject.head.children if c.dep_ == "agent"), None)
        objects = [o for o in (agent.children if agent is not None else []) if o.dep_ == "pobj"]
        if objects:
            subject = objects[0]
    # an appositive or participle ("the Secretary, acting through the Director,") is not the actor;
    # a relative clause defines it ("each agency that supervises critical infrastructure")
    clauses = {t.i for c in subject.children if c.dep_ in ("acl", "appos") for t in c.subtree}
    words = re.sub(r"\s+-\s+", "-", " ".join(t.text for t in subject.subtree if t.i not in clauses))
    # "( b ) The Assistant to the President" is the Assistant
    words = _ENUMERATOR_WORDS.sub("", words) or words
    lowered = subject.lower_
    if lowered == "i":  # "I will ..." inside a quotation: whoever is quoted
        return context.last_speaker
    if lowered == "you" and context.document.kind == "policy":  # a usage policy binds its users
        return _USERS
    legal = context.document.kind == "legislation"
    if legal and lowered == "it":
        antecedent = _named_before(subject, context)
        if antecedent is not None:  # "If the Commission becomes aware ..., it may ...": the Commission
            return actor_of(antecedent, context)
    if legal and (lowered in ("it", "they", "he", "she") or not _agentive(subject, context)):
        # "It shall ...", and "Such reports shall include ..." (a thing cannot be obliged; whoever the
        # text last obliged makes it): the previous obligation's actor
        return context.last_actor or context.document.publisher
    government = context.actors.government_of(context.document.publisher)
    if government and _national(subject, context):  # a White House plan's "we", "America should ..."
        return government
    last = context.last_actor
    # "the Framework" the signatories write; "These agencies could ...". Not in news: there "these companies"
    # are the rivals the article just listed, not the party it last quoted
    if last and context.document.kind != "news" and _anaphoric(subject, context):
        return last  # type: ignore[return-value]
    if lowered in ("we", "us", "it") or lowered in context.rules.modals.policy_nouns:
        return context.focus_org or context.document.publisher
    if context.document.kind == "policy" and (lowered in ("they", "these", "this", "those", "such")
                                              or not _agentive(subject, context)):
        # "They will ...", "Our evaluations will include ...": the policy's own party, or the one it last
        # bound
        return context.last_actor or context.focus_org or context.document.publisher
    if legal:
        named = _addressee_class(subject, words, context)
        if named:
            return named
    if context.document.kind in ("legislation", "policy"):
        joint = _joint_actors(subject, context)
        if joint:
            return joint
    resolved = context.resolve_actor(words) or context.resolve_actor(subject.text)
    if resolved:
        return resolved
    # a name in the subject's own phrase ("the Secretary of Commerce"), not in the bodies it consults
    # ("..., in consultation with the Director of National Intelligence,")
    in_phrase = context.actors.pattern.search(" ".join(t.text for t in _head_phrase(subject)))
    if in_phrase:
        return context.actors.resolve(in_phrase.group(1))
    if not _agentive(subject, context):
        return None  # "The pledge will ...", "There will be ...": no party is named
    return re.sub(r"^(the|a|an)\s+", "", words, flags=re.I)


_USERS = "Users"


def _named_before(pronoun: Token, context: DocContext) -> Token | None:
    """The first party named as a clause's subject earlier in the pronoun's sentence ("Where the Commission
    concludes ... and the provider was not able ..., it shall ..."), if any."""
    for token in pronoun.doc[:pronoun.i]:
        if (token.dep_ in ("nsubj", "nsubjpass") and token.pos_ in ("NOUN", "PROPN")
                and _agentive(token, context)):
            return token
    return None


def _anaphoric(subject: Token, context: DocContext) -> bool:
    """A subject that points back instead of naming: a policy's "the Framework" (the one the party it last
    bound keeps), and "these agencies", "such entities" when the text names no such body itself."""
    determiners = {c.lower_ for c in subject.children if c.dep_ in ("det", "poss")}
    if subject.lower_ in context.rules.modals.policy_nouns:
        return "this" not in determiners and "our" not in determiners
    return (bool(determiners & {"these", "those", "such", "this", "that"}) and lemma(subject).lower() in
            context.actors.parties and context.resolve_actor(subject.text) is None)


# heads of subjects that are things a law asks for, not parties it can oblige ("The report shall
# include ...", "Such a program shall ...")
_ARTIFACT_HEADS = frozenset((
    "report", "notification", "request", "memorandum", "guidance", "program", "programme", "action",
    "resource", "work", "review", "assessment", "documentation", "document", "information", "recommendation",
    "agenda", "strategy", "guideline", "standard", "rule", "regulation", "order", "code", "system", "model",
    "ai", "data", "process", "procedure", "fine", "penalty", "measure", "effort", "initiative", "description",
    "summary", "list", "template", "mandate", "decision", "study", "evaluation", "analysis", "implementation",
    "adherence", "publication", "plan", "framework", "policy", "approach", "tool", "method", "platform",
    "effort", "exception", "obligation", "requirement", "provision", "paragraph", "article", "section",
    "term", "definition", "use", "step", "change", "result", "finding",
))


def _agentive(subject: Token, context: DocContext) -> bool:
    """Whether the subject can be held to a duty: a gazetteer actor, a named organisation, person, country
    or group, or a noun naming a party (``party_nouns`` in models/actors.json) — never a thing a law asks
    for (see _ARTIFACT_HEADS), a capability, a risk or an update."""
    if context.resolve_actor(subject.text) is not None:
        return True
    head = lemma(subject).lower()
    if head in _ARTIFACT_HEADS:
        return False
    # a capitalised word alone is not enough: "ASL-4 will involve", "TLS", "Workforce :" are tagged proper
    # nouns
    return (head in context.actors.parties or subject.lower_ in context.actors.parties
            or subject.ent_type_ in _AGENT_ENTITIES)


_AGENT_ENTITIES = frozenset(("ORG", "PERSON", "GPE", "NORP"))


_NOT_SUBJECTS = frozenset(("nothing", "none", "point", "points", "paragraph", "paragraphs", "subparagraph",
                           "article", "articles", "annex", "recital", "section"))
_ENUMERATOR_WORDS = re.compile(r"^\s*\(?\s*(?:[a-z]{1,2}|[ivxlc]{1,5}|[A-Z]|\d{1,3})\s*\)\s*"
                               r"|^\s*(?:[ivxlc]{1,5}|[a-z])\s*$")


def _head_phrase(token: Token) -> list[Token]:
    """A noun with its modifiers and 'of' phrases, without clauses, lists or other prepositions."""
    keep = {token.i}
    for child in token.children:
        if child.dep_ in ("det", "amod", "compound", "poss", "nmod", "nummod") or (
                child.dep_ == "prep" and child.lower_ == "of"):
            keep.update(t.i for t in child.subtree)
    return [token.doc[i] for i in sorted(keep)]


def _addressee_class(subject: Token, words: str, context: DocContext) -> str | None:
    """A law's addressee in full: "providers of X" is remembered by its noun, so that a later "the provider"
    or "the relevant provider" of the same article names the same class; a section heading
    ("Obligations for providers of X") names it too, and failing both, the class of the thing the
    article talks about (see :func:`_class_of_thing`)."""
    sentence = context.sentence
    section = sentence.section if sentence is not None else None
    scope = (sentence.section_path or "").split("(")[0] or section if sentence is not None else None
    # one article's class only
    if context.classes_section != scope:
        context.classes_section, context.classes = scope, {}
    classes = context.classes
    head = lemma(subject).lower()
    if head not in context.actors.class_nouns:
        return None
    pattern = context.actors.class_phrase
    stated = pattern.search(words)
    if stated:
        phrase = re.sub(r"^(?:the|a|an|each|every|all|any)\s+", "", stated.group(1).strip(), flags=re.I)
        # "Providers of X" opening a sentence is the class "providers of X"
        phrase = phrase[:1].lower() + phrase[1:]
        classes[head] = phrase
        return phrase
    if any(c.dep_ == "prep" for c in subject.children):
        return None  # "providers established in third countries": a class of its own
    # the heading's class of this noun: "Authorised representatives of providers of X" holds "providers of X"
    stem = head[:-1] if head.endswith("y") else head
    in_heading = next((m.group(1).strip() for m in pattern.finditer(section or "")
                       if m.group(1).lower().startswith(stem)), None)
    return in_heading or classes.get(head) or _class_of_thing(head, context)


def _thing_letters(text: str) -> str:
    """Letters without plural endings: "general purpose AI models" and "generalpurpose AI model" agree."""
    return "".join(re.sub(r"s$", "", word) for word in re.findall(r"[a-z]+", text.lower()))


def _class_of_thing(head: str, context: DocContext) -> str | None:
    """"The relevant provider" in an article that names no class of providers: the class the document
    states elsewhere ("providers of X") whose thing X the sentence, or else the nearest earlier sentence
    of its article, mentions; the most specific X wins ("X with systemic risk" over "X")."""
    sentence = context.sentence
    if sentence is None:
        return None
    if context.stated_classes is None:
        context.stated_classes = _stated_classes(context)
    classes = context.stated_classes
    article = (sentence.section_path or "").split("(")[0]
    earlier = context.sentences[max(0, sentence.index - 30):sentence.index]
    for candidate in (sentence, *reversed(earlier)):
        if (candidate.section_path or "").split("(")[0] != article:
            break
        text = _thing_letters(candidate.text)
        found = [(len(thing), phrase) for (noun, thing), phrase in classes.items()
                 if noun == head and thing and thing in text]
        if found:
            return max(found)[1]
    return None


def _stated_classes(context: DocContext) -> dict[tuple[str, str], str]:
    """Every class the document names in the plural, "providers of X", by (noun, letters of X)."""
    pattern = context.actors.class_phrase
    known: dict[tuple[str, str], str] = {}
    for sentence in context.sentences:
        for match in pattern.finditer(sentence.text):
            noun, thing = re.split(r"\s+of\s+", match.group(1).strip(), maxsplit=1, flags=re.I)
            if noun.lower().endswith("s"):  # "the provider of a model that ...": one party, not a class
                known.setdefault((_singular(noun), _thing_letters(thing)), f"{noun.lower()} of {thing}")
    return known


def _singular(noun: str) -> str:
    """"Providers" -> "provider", "signatories" -> "signatory": the class noun a phrase opens with."""
    word = noun.lower()
    return word[:-3] + "y" if word.endswith("ies") else word[:-1] if word.endswith("s") else word


def _joint_actors(subject: Token, context: DocContext) -> str | None:
    """"The AI Office and the Board shall ..." binds each: the named bodies, joined by '; '.

    Only names (capitalised) or gazetteer actors count, so "risks and harms" stays one subject.
    """
    members = [subject, *(t for t in subject.subtree if t.dep_ == "conj" and t.head.i in
                          {subject.i, *(c.i for c in subject.subtree if c.dep_ == "conj")})]
    if len(members) < 2:
        return None
    names = []
    for member in members:
        words = re.sub(r"^(?:the|a|an)\s+", "", " ".join(t.text for t in _own_words(member)), flags=re.I)
        resolved = context.resolve_actor(words) or context.resolve_actor("the " + words)
        if resolved is None and not member.text[:1].isupper():
            return None
        names.append(resolved or words)
    return "; ".join(dict.fromkeys(names))


def _own_words(token: Token) -> list[Token]:
    """A conjunct's own words: its modifiers and prepositional phrases, not the conjuncts after it."""
    skip = {t.i for c in token.children if c.dep_ in ("conj", "cc", "punct", "relcl", "acl", "appos")
            for t in c.subtree}
    return [t for t in token.subtree if t.i not in skip]


def _negated(verb: Token, doc: Doc) -> bool:
    if any(c.dep_ == "neg" or c.lower_ == "never" for c in verb.children):
        return True
    # the sentence's words are read only when it holds a "never"
    return any(c.dep_ == "neg" for aux in verb.children if aux.dep_ == "aux" for c in aux.children) or (
        "never" in text_of(doc).lower()
        and any(t.lower_ == "never" and t.head in (verb, *verb.children) for t in doc))


def _kind(verb: Token, strength: int, polarity: str, condition: str | None, scale: ModalRules) -> str:
    if lemma(verb).lower() in scale.proposal_verbs:
        return "proposal"
    if polarity == "negative":
        return "prohibition"
    if condition:
        return "conditional"
    return "pledge" if strength >= 3 else "plan"


def _condition(doc: Doc, context: DocContext) -> str | None:
    return context.rules.modals.condition_in(text_of(doc))


def _deadline(text: str, context: DocContext) -> tuple[str | None, str | None, str | None]:
    """(phrase, ISO date, basis) of the deadline a statement sets; see :func:`resolve_deadline`."""
    phrase, due, basis = resolve_deadline(text, context.document.date)
    if phrase is not None:
        return phrase, due, basis
    match = _DEADLINE.search(text)
    if not match:
        return None, None, None
    phrase = match.group(1)
    if re.search(r"\d{4}", phrase):
        return resolve_time(phrase, context.document.date), None, None
    return phrase, None, None


def _action(verb: Token) -> str:
    words = [t for t in verb.subtree if not (t.dep_ in ("nsubj", "nsubjpass", "aux", "neg", "punct", "mark")
                                             and t.head == verb)]
    condition_heads = [c for c in verb.children if c.dep_ == "advcl" and any(
        m.lower_ in ("if", "unless", "provided") for m in c.children)]
    banned = {t.i for c in condition_heads for t in c.subtree}
    text = "".join(t.text_with_ws for t in words if t.i not in banned).strip(" ,.;:")
    return text or verb.text


def _record(doc: Doc, context: DocContext, actor: str | None, *, verb: Token, strength: int, modal: str,
            polarity: str, kind: str) -> Commitment:
    text = text_of(doc).strip()
    start = len(text_of(doc)) - len(text_of(doc).lstrip())
    phrase, due, basis = _deadline(text_of(doc), context)
    if actor:
        context.last_actor = actor  # what a law's next "It shall ..." refers to
    return Commitment(
        evidence=context.evidence(start, start + len(text)), actor=actor, text=text, action=_action(verb),
        kind=kind, strength=strength, modal=modal, polarity=polarity, condition=_condition(doc, context),
        deadline=phrase, deadline_date=due, deadline_basis=basis,
    )


def _root(doc: Doc) -> Token:
    return next((t for t in doc if t.dep_ == "ROOT"), doc[0])
