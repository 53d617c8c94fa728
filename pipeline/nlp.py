"""spaCy loading and sentence segmentation with exact character offsets.

Two pipelines: a cheap one (tokenizer + rule-based sentencizer, hundreds of
thousands of words per second) that splits every block into sentences, and the
full statistical pipeline that only candidate sentences go through
(:func:`analyzer`). Lemmas are computed when read: call :func:`lemma`, not
``token.lemma_``; read a parsed sentence's text with :func:`text_of`.
"""

from __future__ import annotations

import collections
import functools
import logging
import operator
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import cast

import numpy
import spacy
import thinc.api
import threadpoolctl
from spacy.language import Language
from spacy.pipeline import Lemmatizer, TrainablePipe
from spacy.strings import StringStore
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Token
from thinc.types import Ints2d

from .errors import ConfigError, ModelError
from .records import ParsedDocument, Sentence
from .structure import section_paths

log = logging.getLogger(__name__)


def full_pipeline(model: str, blas: str = "auto") -> Language:
    """Load (once per process) the full spaCy pipeline named by settings.

    Args:
        model: The installed spaCy package to load.
        blas: Which matrix multiply the neural layers use: "blis" (spaCy's
            default), "numpy" (numpy's BLAS, one thread per process) or "auto"
            (whichever :func:`faster_blas` measures faster on this machine).
            Both give the same parses; only the speed differs.

    Raises:
        ModelError: The model package is not installed.
        ConfigError: ``blas`` is none of the three.
    """
    if blas not in BLAS_CHOICES:
        raise ConfigError(f"setting blas = '{blas}' is not one of {', '.join(BLAS_CHOICES)}. "
                          "Set it to one of those in your --config file, or leave it out for 'auto'.")
    return _load(model, use_blis=(faster_blas() if blas == "auto" else blas) == "blis")


@functools.lru_cache(maxsize=4)
def _load(model: str, *, use_blis: bool) -> Language:
    """spaCy's pipeline with its neural layers on blis or numpy's BLAS, once per process and choice."""
    if not use_blis:
        # --jobs gives the parallelism; a BLAS thread pool per process would oversubscribe the cores
        threadpoolctl.threadpool_limits(limits=1, user_api="blas")
    try:
        with thinc.api.use_ops("numpy", use_blis=use_blis):
            return spacy.load(model)
    except OSError as exc:
        raise ModelError(
            f"spaCy model '{model}' is not installed ({exc}). Run 'make run' or "
            f"'pip install -r requirements-model.txt', or set spacy_model in your settings."
        ) from exc


BLAS_CHOICES = ("auto", "blis", "numpy")


@functools.lru_cache(maxsize=1)
def faster_blas() -> str:
    """"blis" or "numpy": whose single-threaded float32 matrix multiply is faster here.

    spaCy multiplies through blis; on some CPUs (seen on AMD EPYC: 21 against
    59 GFLOPS) numpy's BLAS is several times faster on the shapes of
    en_core_web_sm's token-to-vector layers. Measured once per process on those
    shapes (about 50 ms).
    """
    inputs = numpy.random.default_rng(0).random((2048, 288), dtype=numpy.float32)
    weights = numpy.random.default_rng(1).random((288, 288), dtype=numpy.float32)
    seconds = {}
    with threadpoolctl.threadpool_limits(limits=1, user_api="blas"):
        for name in ("blis", "numpy"):
            ops = thinc.api.NumpyOps(use_blis=name == "blis")
            ops.gemm(inputs, weights, trans2=True)
            started = time.perf_counter()
            for _ in range(5):
                ops.gemm(inputs, weights, trans2=True)
            seconds[name] = time.perf_counter() - started
    choice = "numpy" if seconds["numpy"] < 0.9 * seconds["blis"] else "blis"
    log.info("matrix multiply: %s (blis %.1f ms, numpy %.1f ms)", choice, seconds["blis"] * 200,
             seconds["numpy"] * 200)
    return choice


@functools.lru_cache(maxsize=1)
def cheap_pipeline() -> Language:
    """A blank English tokenizer with the rule-based sentencizer."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 50_000_000
    return nlp


@functools.lru_cache(maxsize=4)
def splitter(model: str, blas: str = "auto") -> Language:
    """:func:`cheap_pipeline` on the tokenizer and vocabulary of the full pipeline ``model``, when that
    tokenizer's rules are blank English's (as in spaCy's English pipelines); else :func:`cheap_pipeline`.

    The sentences are the same either way. Sharing the tokenizer means that the parse of a candidate
    sentence finds its words already split (the tokenizer keeps what it split, by the word) and their
    lexemes made, instead of tokenizing each sentence a second time into a second vocabulary: 0.1 s of
    the 0.14 s the parse spent tokenizing the everyday batch.
    """
    full, cheap = full_pipeline(model, blas), cheap_pipeline()
    rules = [cast(Tokenizer, pipeline.tokenizer).to_bytes(exclude=["vocab"]) for pipeline in (full, cheap)]
    if rules[0] != rules[1]:
        return cheap
    nlp = type(cheap)(vocab=full.vocab, create_tokenizer=lambda _: full.tokenizer)
    nlp.add_pipe("sentencizer")
    nlp.max_length = cheap.max_length
    return nlp


def split_sentences(parsed: ParsedDocument, *, batch_size: int = 256,
                    nlp: Language | None = None) -> list[Sentence]:
    """Split each block of a parsed document into sentences.

    Headings, list items and table cells stay single units unless they hold
    several sentences themselves; offsets index ``parsed.document.text``.
    Each sentence carries its section path where the text numbers its parts.

    Args:
        parsed: The document and its blocks.
        batch_size: Blocks per batch.
        nlp: A tokenizer with the sentencizer: :func:`cheap_pipeline` when None, or :func:`splitter`
            when the sentences are to be parsed.
    """
    text = parsed.document.text
    blocks = [b for b in parsed.blocks if text[b.start:b.end].strip()]
    nlp = nlp or cheap_pipeline()
    sentences: list[Sentence] = []
    pieces: Iterable = nlp.pipe((calm(text[b.start:b.end]) for b in blocks), batch_size=batch_size)
    for block, doc in zip(blocks, pieces):
        spans = [(block.start, block.end)] if block.kind == "heading" else _merge_fragments(
            [(block.start + s.start_char, block.start + s.end_char) for s in doc.sents], text
        )
        for start, end in (part for span in spans for part in _bounded(text, *span)):
            start, end = _strip(text, start, end)
            if end <= start:
                continue
            sentences.append(
                Sentence(
                    index=len(sentences), text=text[start:end], start=start, end=end,
                    kind=block.kind, page=block.page, section=block.section, paragraph=block.paragraph,
                )
            )
    return section_paths(sentences)


# a unit of up to six characters repeated to 200 characters or more ("____", "&amp;&amp;"), and any
# run of 1,000 characters without a space: spaCy's tokenizer takes time quadratic in a token's length
_REPEATED = re.compile(r"(\S{1,6}?)\1{19,}")
_LONG_TOKEN = re.compile(r"\S{1001,}")
MAX_SENTENCE_CHARS = 10_000


def calm(text: str) -> str:
    """The text as the tokenizer should see it: long repeated runs and very long tokens cut to their
    start and padded with spaces to the same length, so every character offset stays the same."""
    if len(text) < 200:
        return text

    def pad(match: re.Match[str], keep: int) -> str:
        return match.group(0)[:keep] + " " * (len(match.group(0)) - keep)

    text = _REPEATED.sub(lambda m: pad(m, len(m.group(1))) if len(m.group(0)) >= 200 else m.group(0), text)
    return _LONG_TOKEN.sub(lambda m: pad(m, 1000), text)


def _bounded(text: str, start: int, end: int, limit: int = MAX_SENTENCE_CHARS) -> Iterator[tuple[int, int]]:
    """A span cut at spaces into parts of at most ``limit`` characters: a megabyte with no full stop
    is not one sentence, and spaCy refuses texts over its maximum length."""
    while end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        cut = cut if cut > start else start + limit
        yield start, cut
        start = cut
    yield start, end


_FRAGMENT = re.compile(r"^\s*(\(?[0-9ivxIVX]{1,4}[.)]|\(?[a-zA-Z][.)]|[A-Z][a-z]{0,3}\.|[-•*])\s*$")


def _move_opening_quotes(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """The sentencizer leaves an opening quote or bracket at the end of the previous sentence
    ("Protecting Privacy. (" | "a) To mitigate …"); move it forward."""
    spans = list(spans)
    for i in range(len(spans) - 1):
        start, end = spans[i]
        stripped = text[start:end].rstrip()
        if len(stripped) > 2 and stripped[-1] in "\"“([" and stripped[-2].isspace() \
                and stripped[-3] in ".!?”\"":
            quote = start + len(stripped) - 1
            spans[i] = (start, quote)
            spans[i + 1] = (quote, spans[i + 1][1])
    return spans


def _merge_fragments(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Glue list numbers and abbreviations the sentencizer cut off ("1." "Purpose") to what follows."""
    spans = _move_opening_quotes(spans, text)
    merged: list[tuple[int, int]] = []
    carry: int | None = None
    for start, end in spans:
        if carry is not None:
            start, carry = carry, None
        if _FRAGMENT.match(text[start:end]):
            carry = start
            continue
        merged.append((start, end))
    if carry is not None:
        merged.append((carry, spans[-1][1]))
    return merged


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --- the parse: spaCy's statistical components, its attribute rules applied by index, lemmas on demand ---

# token attributes the model's rules test, as columns of Doc.to_array
_RULE_COLUMNS = ("LOWER", "TAG", "DEP", "IS_SPACE", "ORTH", "POS")


def _not_in(excluded: frozenset[int], value: int) -> bool:
    return value not in excluded


class _Matches:
    """A REGEX predicate on a hashed string, its answer kept per string: two of en_core_web_sm's rules
    open with one, so it is asked of every token, and the same words recur."""

    def __init__(self, pattern: re.Pattern[str], strings: StringStore) -> None:
        self.pattern = pattern
        self.strings = strings
        self.answers: dict[int, bool] = {}

    def __call__(self, value: int) -> bool:
        answer = self.answers.get(value)
        if answer is None:
            answer = self.answers[value] = self.pattern.search(self.strings[value]) is not None
        return answer


class AttributeRules:
    """spaCy's ``attribute_ruler`` rules applied through a dictionary index instead of the Matcher.

    The model's rules (its tag map and exceptions, 179 in en_core_web_sm) are
    one- or two-token patterns on TAG, LOWER and DEP. spaCy runs them through
    its general Matcher, which tests every predicate on every token; here the
    rules are indexed by the first token's lowercase form and tag, only those
    that can apply are tested (on the hashed values from ``Doc.to_array``),
    and the same attributes are set in the same order (later rules win)
    through spaCy's own ``set_token_attrs``. ``tests/test_nlp.py`` checks the
    result equals the stock component, token for token.

    Raises:
        ValueError: A rule uses a predicate not implemented here; the caller keeps spaCy's component.
    """

    def __init__(self, ruler) -> None:
        from spacy.attrs import IDS

        self._attrs = ruler.attrs
        self._columns = [IDS[name] for name in _RULE_COLUMNS]
        strings = ruler.vocab.strings
        self._strings = strings
        # rules indexed by the first token's most selective equality test: LOWER, else TAG, else DEP
        self._index: list[dict[int, list]] = [{}, {}, {}]
        self._anywhere: list = []
        for attr_id in range(len(ruler.attrs)):
            _, patterns = ruler.matcher.get(str(attr_id))
            for pattern in patterns:
                tests = [(k, column, test) for k, token in enumerate(pattern) for column,
                         test in self._compile(token)]
                rule = (attr_id, len(pattern), tests, ruler.indices[attr_id])
                for slot, key in enumerate(("LOWER", "TAG", "DEP")):
                    if (values := _equals_or_in(pattern[0].get(key))) is not None:
                        for value in values:
                            self._index[slot].setdefault(strings.add(value), []).append(rule)
                        break
                else:
                    self._anywhere.append(rule)

    def _compile(self, token_pattern: dict) -> list[tuple[int, Callable[[int], bool]]]:
        """One token's predicates as (column, test on the column's hashed value)."""
        tests: list[tuple[int, Callable[[int], bool]]] = []
        for key, value in token_pattern.items():
            if key not in _RULE_COLUMNS:
                raise ValueError(f"attribute rule key {key!r} is not supported")
            column = _RULE_COLUMNS.index(key)
            if isinstance(value, bool):
                tests.append((column, functools.partial(operator.eq, int(value))))
            elif isinstance(value, str):
                tests.append((column, functools.partial(operator.eq, self._strings.add(value))))
            elif isinstance(value, dict) and set(value) == {"IN"}:
                tests.append((column, frozenset(self._strings.add(v) for v in value["IN"]).__contains__))
            elif isinstance(value, dict) and set(value) == {"NOT_IN"}:
                excluded = frozenset(self._strings.add(v) for v in value["NOT_IN"])
                tests.append((column, functools.partial(_not_in, excluded)))
            elif isinstance(value, dict) and set(value) == {"REGEX"}:
                tests.append((column, _Matches(re.compile(value["REGEX"]), self._strings)))
            else:
                raise ValueError(f"attribute rule predicate {value!r} is not supported")
        return tests

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens._retokenize import set_token_attrs

        rows = doc.to_array(self._columns).tolist()
        n = len(rows)
        by_lower, by_tag, by_dep = self._index
        matches = []
        for i, row in enumerate(rows):
            for rules in (by_lower.get(row[0]), by_tag.get(row[1]), by_dep.get(row[2]), self._anywhere):
                if not rules:
                    continue
                for attr_id, length, tests, index in rules:
                    if i + length > n:
                        continue
                    for k, column, test in tests:
                        if not test(rows[i + k][column]):
                            break
                    else:
                        matches.append((attr_id, i, i + length, index))
        matches.sort()
        for attr_id, start, end, index in matches:
            set_token_attrs(doc[start + index if index >= 0 else end + index], self._attrs[attr_id])
        return doc


def _equals_or_in(value) -> list[str] | None:
    """The values a pattern predicate accepts when it is an equality or an IN list, else None."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and set(value) == {"IN"}:
        return list(value["IN"])
    return None


class Analyzer:
    """The full pipeline with the attribute rules indexed and the lemmatizer deferred to :func:`lemma`.

    Falls back to spaCy's own components, unchanged, when a model's rules use
    a predicate :class:`AttributeRules` does not implement.
    """

    def __init__(self, nlp: Language, *, cache_size: int = 0) -> None:
        self.nlp = nlp
        # parses of recent sentences by text, most recently used last (see :meth:`parse`)
        self.cache: collections.OrderedDict[str, Doc] = collections.OrderedDict()
        self.cache_size = cache_size
        self.rules: AttributeRules | None = None
        if "attribute_ruler" in nlp.pipe_names:
            try:
                self.rules = AttributeRules(nlp.get_pipe("attribute_ruler"))
            except ValueError as exc:
                log.info("model %s: spaCy's attribute_ruler kept (%s)", nlp.meta.get("name"), exc)
        self.lemmatizer: Lemmatizer | None = None
        if "lemmatizer" in nlp.pipe_names:
            self.lemmatizer = cast(Lemmatizer, nlp.get_pipe("lemmatizer"))
        if self.lemmatizer is not None and not getattr(self.lemmatizer, "overwrite", False):
            nlp("checks")  # spaCy's lemmatizer validates its tables on its first call
            _index_as_sets(self.lemmatizer)
            _LEMMATIZERS[id(nlp.vocab)] = (self.lemmatizer, {})
        else:
            self.lemmatizer = None  # an overwriting lemmatizer stays in the pipeline

    def pipe(self, texts: Iterable[str], *, entities: bool = True, batch_size: int = 64) -> Iterator[Doc]:
        """Parse texts; ``entities=False`` skips NER (about half the cost of the statistical parse)."""
        skip = [n for n in ("lemmatizer",) if self.lemmatizer is not None]
        if self.rules is not None:
            skip.append("attribute_ruler")
        if not entities and "ner" in self.nlp.pipe_names:
            skip.append("ner")
        calmed = ((text, text) for text in map(calm, texts))
        for doc, text in self.nlp.pipe(calmed, as_tuples=True, batch_size=batch_size, disable=skip):
            # the tokenizer keeps every character, so the text given is the doc's text (see text_of)
            doc.user_data[_TEXT] = text
            if entities:
                doc.user_data[_HAS_ENTITIES] = True
            yield self.rules(doc) if self.rules is not None else doc

    def parse(self, texts: list[str], *, batch_size: int = 64) -> list[Doc]:
        """Parse texts without NER, reusing the parse of a sentence seen recently.

        A parse depends on the sentence's text alone, and versions of a policy
        repeat most of their sentences, so the last ``cache_size`` parses are
        kept (in this process, least recently used dropped first). What
        extractors add to a doc (lemmas, entities) is the same whoever reads it.
        """
        docs: dict[str, Doc] = {}
        for text in texts:
            if text in self.cache:
                self.cache.move_to_end(text)
                docs[text] = self.cache[text]
        new = list(dict.fromkeys(t for t in texts if t not in docs))
        for text, doc in zip(new, self.pipe(new, entities=False, batch_size=batch_size)):
            docs[text] = doc
            if self.cache_size:
                self.cache[text] = doc
        while len(self.cache) > self.cache_size:
            self.cache.popitem(last=False)
        return [docs[t] for t in texts]

    def add_entities(self, docs: list[Doc], *, batch_size: int = 64) -> None:
        """Run NER on docs parsed without it (those that have it already are skipped). The NER
        component has its own token-to-vector layer in spaCy's English pipelines, so the
        entities equal a full run's."""
        todo = list({id(d): d for d in docs if not d.user_data.get(_HAS_ENTITIES)}.values())
        if "ner" in self.nlp.pipe_names and todo:
            ner = cast(TrainablePipe, self.nlp.get_pipe("ner"))
            for doc in ner.pipe(todo, batch_size=batch_size):
                doc.user_data[_HAS_ENTITIES] = True


def _index_as_sets(lemmatizer: Lemmatizer) -> None:
    """The rule lemmatizer's word index as sets: spaCy tests every candidate form for membership in a
    list of the part of speech's words (57,528 verbs in en_core_web_sm), 0.1 ms a word not seen
    before; a set holds the same words, so the lemmas are the same."""
    if not lemmatizer.lookups.has_table("lemma_index"):
        return
    index = lemmatizer.lookups.get_table("lemma_index")
    for pos, words in list(index.items()):
        if isinstance(words, list):
            index[pos] = frozenset(words)


_HAS_ENTITIES = "govtrace.entities"
_TEXT = "govtrace.text"


# by vocabulary: its lemmatizer and the lemmas it gave, by (word, part of speech, morphology); see lemma()
_LEMMATIZERS: dict[int, tuple[Lemmatizer, dict[tuple[int, int, int], str]]] = {}


@functools.lru_cache(maxsize=4)
def analyzer(model: str, cache_size: int = 0, blas: str = "auto") -> Analyzer:
    """The :class:`Analyzer` over :func:`full_pipeline` (once per process and set of arguments)."""
    return Analyzer(full_pipeline(model, blas), cache_size=cache_size)


def lemma(token: Token) -> str:
    """The token's lemma as spaCy's lemmatizer gives it, computed on first use and kept on the token.

    A lemma depends on the word, its part of speech and its morphology alone, so it is computed once per
    such triple and process (like the vocabulary, the table grows with the words seen): spaCy's own
    cache leaves out the words already in their base form (most nouns), whose morphology it then reads
    into a dictionary again at each use.
    """
    if token.lemma == 0:
        found = _LEMMATIZERS.get(id(token.doc.vocab))
        if found is not None:
            lemmatizer, lemmas = found
            key = (token.orth, token.pos, token.morph.key)  # type: ignore[attr-defined]
            word = lemmas.get(key)
            if word is None:
                word = lemmas[key] = lemmatizer.lemmatize(token)[0]
            token.lemma_ = word
    return token.lemma_


def text_of(doc: Doc) -> str:
    """``doc.text``, kept on the doc: spaCy rebuilds the string from its tokens, one Python object each,
    on every access. The analyzer and :func:`unpack` store the text of the docs they make; any other
    doc joins it once."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


# --- parses moved between processes: a large document's chunks are parsed on other workers ---

# every token attribute a parse sets, as spaCy serialises them; ORTH first, SPACY last
_PACKED_ATTRS = ("ORTH", "NORM", "TAG", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID", "LEMMA",
                 "MORPH", "POS", "SENT_START", "SPACY")
# the columns holding string hashes (the others are enums, offsets and flags)
_STRING_COLUMNS = [_PACKED_ATTRS.index(a) for a in
                   ("ORTH", "NORM", "TAG", "DEP", "ENT_TYPE", "ENT_KB_ID", "ENT_ID", "LEMMA", "MORPH")]


@dataclass(frozen=True)
class PackedDocs:
    """Parsed docs as one array of token attributes and the strings their hashes name.

    A pickled Doc carries its whole vocabulary, and spaCy's ``DocBin`` looks up its serialisers anew
    for every doc (0.6 s for the 534 parsed sentences of EO 14110); this takes about 0.05 s.
    """

    columns: numpy.ndarray  # one row per token, one column per attribute of _PACKED_ATTRS
    lengths: tuple[int, ...]
    strings: tuple[str, ...]
    entities: tuple[bool, ...]  # whether NER has run on the doc


def pack(docs: list[Doc]) -> PackedDocs:
    """The docs' parses as arrays, for :func:`unpack` in another process."""
    from spacy.attrs import intify_attr

    ids = [intify_attr(a) for a in _PACKED_ATTRS]
    arrays = [doc.to_array(ids) for doc in docs]
    columns = numpy.concatenate(arrays) if arrays else numpy.zeros((0, len(ids)), dtype=numpy.uint64)
    strings = docs[0].vocab.strings if docs else StringStore()
    hashes = numpy.unique(columns[:, _STRING_COLUMNS])
    return PackedDocs(columns, tuple(len(doc) for doc in docs),
                      tuple(strings[int(h)] for h in hashes.tolist() if h),
                      tuple(bool(doc.user_data.get(_HAS_ENTITIES)) for doc in docs))


def unpack(packed: PackedDocs, vocab) -> list[Doc]:
    """Docs equal, token for token, to those :func:`pack` was given, on this process's ``vocab`` (the
    analyzer's, so that :func:`lemma` finds its lemmatizer)."""
    from spacy.attrs import intify_attr

    for string in packed.strings:
        vocab.strings.add(string)
    ids = [intify_attr(a) for a in _PACKED_ATTRS[1:-1]]
    docs = []
    start = 0
    for length, entities in zip(packed.lengths, packed.entities):
        rows = packed.columns[start:start + length]
        start += length
        words = [vocab.strings[h] for h in rows[:, 0].tolist()]
        spaces = rows[:, -1].astype(bool).tolist()
        doc = Doc(vocab, words=words, spaces=spaces)
        doc.from_array(ids, cast(Ints2d, numpy.ascontiguousarray(rows[:, 1:-1])))
        doc.user_data[_TEXT] = "".join(w + " " if space else w for w, space in zip(words, spaces))
        if entities:
            doc.user_data[_HAS_ENTITIES] = True
        docs.append(doc)
    return docs
