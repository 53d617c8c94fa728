"""The parse govtrace uses equals spaCy's stock pipeline, token for token; lemmas are read through
nlp.lemma."""

from __future__ import annotations

import re

import pytest
import spacy

from pipeline.errors import ConfigError
from pipeline.nlp import Analyzer, AttributeRules, faster_blas, full_pipeline, lemma, text_of

from .conftest import REPO, SAMPLE, SHARED

# sentences the tag map alone gets wrong: contractions, "gonna", spaces, possessives, "let's", "ai n't"
EDGE_CASES = [
    "I ain't gonna sign it, and we gotta   wait; let's see what they're doing.",
    "He 's the lab's CEO and she'd've said so.\n\nThe board won't, can't and shouldn't.",
    "Don’t use our services to build weapons — we'll never allow it.",
]


def _sentences() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLE.glob("*.md"))
             + sorted(SAMPLE.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "corpora" / "sample-src").glob("*.md"))]
    # when present
    shared = [p.read_text(encoding="utf-8")[:60_000] for p in sorted(SHARED.glob("usage-policies/*.md"))]
    return [s for t in texts + shared for s in re.split(r"(?<=[.!?])\s+|\n+", t) if s.strip()] + EDGE_CASES


@pytest.fixture(scope="module")
def stock(settings):
    return spacy.load(settings.spacy_model)


def test_attribute_rules_and_lazy_lemmas_equal_the_stock_pipeline(stock, settings):
    ours = Analyzer(spacy.load(settings.spacy_model))
    assert ours.rules is not None and ours.lemmatizer is not None  # the fast path is the one tested
    sentences = _sentences()
    assert len(sentences) > 150
    expected = list(stock.pipe(sentences, disable=["ner"]))
    got = list(ours.pipe(sentences, entities=False))
    differences = [
        (e.text, (a.text, a.pos_, a.tag_, str(a.morph), a.dep_, a.lemma_),
         (b.pos_, b.tag_, str(b.morph), b.dep_, lemma(b)))
        for e, g in zip(expected, got) for a, b in zip(e, g)
        if (a.pos_, a.tag_, str(a.morph), a.dep_, a.lemma_) != (b.pos_, b.tag_, str(b.morph),
                                                                b.dep_, lemma(b))
    ]
    assert differences == []
    assert [text_of(doc) for doc in got] == [doc.text for doc in got]  # kept at the parse, not joined


def test_numpy_matrix_multiply_gives_the_stock_parses_and_entities(stock, settings):
    numpy_backed = full_pipeline(settings.spacy_model, "numpy")
    assert {type(p.model.ops).__name__ for _, p in numpy_backed.pipeline
            if getattr(p, "model", None)} == {"NumpyOps"}
    assert not numpy_backed.get_pipe("tok2vec").model.ops.use_blis
    assert stock.get_pipe("tok2vec").model.ops.use_blis
    sentences = _sentences()

    def analyses(nlp):
        return [[(t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in doc]
                for doc in nlp.pipe(sentences)]

    assert analyses(numpy_backed) == analyses(stock)


def test_blas_setting_is_checked_and_auto_picks_a_backend(settings):
    with pytest.raises(ConfigError, match="blas"):
        full_pipeline(settings.spacy_model, "mkl")
    assert faster_blas() in {"blis", "numpy"}


def test_entities_only_when_asked(settings):
    ours = Analyzer(spacy.load(settings.spacy_model))
    with_ner, without = (next(ours.pipe(["Dario Amodei said Anthropic will publish it."], entities=e))
                         for e in (True, False))
    assert {e.label_ for e in with_ner.ents} >= {"PERSON"}
    assert not without.ents


def test_unsupported_rule_predicates_keep_spacys_component(settings):
    nlp = spacy.load(settings.spacy_model)
    nlp.get_pipe("attribute_ruler").add([[{"LENGTH": {">": 40}}]], {"POS": "X"})
    with pytest.raises(ValueError, match="LENGTH"):
        AttributeRules(nlp.get_pipe("attribute_ruler"))
    ours = Analyzer(nlp)
    assert ours.rules is None
    doc = next(ours.pipe(["We will publish a report."], entities=False))
    assert [t.pos_ for t in doc][:2] == ["PRON", "AUX"]


def test_extractors_read_lemmas_through_nlp_lemma():
    """token.lemma_ is empty until computed: extractor code must call pipeline.nlp.lemma(token)."""
    offenders = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted((REPO / "pipeline").rglob("*.py")) if path.name != "nlp.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if ".lemma_" in line
    ]
    assert offenders == []


def test_parse_cache_reuses_recent_sentences_within_its_bound(settings):
    ours = Analyzer(spacy.load(settings.spacy_model), cache_size=2)
    first = ours.parse(["We will publish it.", "They may not.", "We will publish it."])
    assert first[0] is first[2] and len(ours.cache) == 2
    again = ours.parse(["We will publish it."])
    assert again[0] is first[0]
    ours.parse(["A third one.", "A fourth one."])  # pushes both earlier sentences out
    assert list(ours.cache) == ["A third one.", "A fourth one."]
    assert ours.parse(["We will publish it."])[0] is not first[0]


def test_entities_are_added_once_per_doc(settings):
    ours = Analyzer(spacy.load(settings.spacy_model), cache_size=10)
    doc = ours.parse(["Dario Amodei said so."])[0]
    ours.add_entities([doc, doc])
    assert [e.label_ for e in doc.ents] == ["PERSON"]
    ours.add_entities([doc])  # nothing re-run, nothing lost
    assert [e.label_ for e in doc.ents] == ["PERSON"]


def test_findings_are_the_same_with_and_without_the_parse_cache(tmp_path, settings):
    from pipeline.batch import ingest
    from pipeline.query import find
    from pipeline.store import Store

    tables = {}
    for cache in (0, 10_000):
        with Store(tmp_path / f"cache-{cache}.db") as store:
            ingest([SAMPLE], store, settings.replace(parse_cache=cache))
            tables[cache] = {kind: find(store, kind).drop(columns=["id"], errors="ignore")
                             for kind in ("metrics", "claims", "commitments", "events")}
    for kind, table in tables[0].items():
        assert len(table), kind
        assert table.to_json(orient="records") == tables[10_000][kind].to_json(orient="records"), kind


def test_packed_docs_come_back_token_for_token(settings):
    """A chunk's parses travel between processes as arrays: every attribute a parse sets, the
    entities where NER ran, and the lemmas read later, all equal the docs packed."""
    from pipeline.nlp import analyzer, pack, unpack

    ours = analyzer(settings.spacy_model, 0, settings.blas)
    docs = ours.parse(_sentences()[:120] + EDGE_CASES)
    ours.add_entities(docs[::3])
    attrs = ["ORTH", "NORM", "TAG", "POS", "MORPH", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START",
             "SPACY", "IDX"]
    back = unpack(pack(docs), ours.nlp.vocab)
    assert len(back) == len(docs)
    for doc, copy in zip(docs, back):
        assert copy.text == doc.text
        assert (copy.to_array(attrs) == doc.to_array(attrs)).all()
        assert [(e.text, e.label_) for e in copy.ents] == [(e.text, e.label_) for e in doc.ents]
        assert [lemma(t) for t in copy] == [lemma(t) for t in doc]
        assert copy.user_data == doc.user_data
        assert text_of(copy) == copy.text
    assert unpack(pack([]), ours.nlp.vocab) == []


def test_splitter_shares_the_parsers_tokenizer_and_splits_alike(settings):
    """With extraction on, sentences are split on the parser's own tokenizer (its words are then
    tokenized once); the sentences are those of the cheap pipeline."""
    from pipeline.ingest import read
    from pipeline.nlp import split_sentences, splitter

    shared = splitter(settings.spacy_model, settings.blas)
    full = full_pipeline(settings.spacy_model, settings.blas)
    assert shared.tokenizer is full.tokenizer and shared.vocab is full.vocab
    paths = sorted(SAMPLE.iterdir()) + sorted(SHARED.glob("regulation-pdfs/*.pdf"))[:1]
    for path in (p for p in paths if p.suffix not in (".json", ".csv")):
        parsed = read(path, settings)
        assert split_sentences(parsed, nlp=shared) == split_sentences(parsed), path.name
