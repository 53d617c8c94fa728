"""How much of a corpus the prefilters send to the parser, and how much of that yields findings.

Parsing is most of the run time, so a prefilter should pass little besides the
sentences its extractor finds something in; it must never drop those. This
prints, per extractor, the sentences and words it asked to parse and the
sentences it found something in, then the share of all words parsed and the
share that also went through NER.

Run: .venv/bin/python scripts/prefilter_audit.py [FOLDER ...]
(default: corpora/sample plus ../shared/corpora when present)
"""

from __future__ import annotations

import dataclasses
import sys
from collections import Counter
from pathlib import Path

from pipeline import extract
from pipeline import nlp as nlp_module
from pipeline.batch import discover
from pipeline.config import Settings
from pipeline.errors import GovtraceError
from pipeline.ingest import read
from pipeline.nlp import split_sentences
from pipeline.records import Failure

REPO = Path(__file__).resolve().parents[1]


def main(folders: list[Path]) -> None:
    settings = Settings(parse_cache=0)  # every candidate counts as parsed, repeated or not
    registry = extract.load_extractors()
    given: Counter[str] = Counter()
    given_words: Counter[str] = Counter()
    yielded: Counter[str] = Counter()
    for name, extractor in list(registry.items()):
        def counting(doc, context, _func=extractor.func, _name=name):
            found = list(_func(doc, context))
            given[_name] += 1
            given_words[_name] += len(context.sentence.text.split())
            yielded[_name] += bool(found)
            return iter(found)
        registry[name] = dataclasses.replace(extractor, func=counting)

    parse_calls: list[int] = []
    entity_calls: list[int] = []
    original_pipe, original_entities = nlp_module.Analyzer.pipe, nlp_module.Analyzer.add_entities

    def pipe(self, texts, **kwargs):
        for doc in original_pipe(self, texts, **kwargs):
            parse_calls.append(len(doc.text.split()))
            yield doc

    def add_entities(self, docs, **kwargs):
        entity_calls.extend(len(d.text.split()) for d in docs)
        return original_entities(self, docs, **kwargs)

    nlp_module.Analyzer.pipe, nlp_module.Analyzer.add_entities = pipe, add_entities
    total_words = total_sentences = 0
    try:
        for path in discover(folders):
            if isinstance(path, Failure):
                continue
            try:
                parsed = read(path, settings)
            except GovtraceError as exc:
                print(f"skipped {path}: {exc}")
                continue
            sentences = split_sentences(parsed)
            total_sentences += len(sentences)
            total_words += sum(len(s.text.split()) for s in sentences)
            extract.extract_document(parsed.document, sentences, settings)
    finally:
        nlp_module.Analyzer.pipe, nlp_module.Analyzer.add_entities = original_pipe, original_entities
    print(f"{total_sentences:,} sentences, {total_words:,} words")
    print(f"{'extractor':12} {'parsed for it':>14} {'words':>10} {'found something':>16} {'yield':>6}")
    for name in registry:
        share = yielded[name] / given[name] if given[name] else 0.0
        print(f"{name:12} {given[name]:14,} {given_words[name]:10,} {yielded[name]:16,} {share:6.0%}")
    print(f"words parsed: {sum(parse_calls):,} ({sum(parse_calls) / max(total_words, 1):.0%}); "
          f"with NER: {sum(entity_calls):,} ({sum(entity_calls) / max(total_words, 1):.0%})")


if __name__ == "__main__":
    shared = REPO.parent / "shared" / "corpora"
    default = [REPO / "corpora" / "sample"] + ([shared] if shared.is_dir() else [])
    main([Path(a) for a in sys.argv[1:]] or default)
