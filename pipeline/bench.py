"""Benchmark: ingest+extract throughput against a naive baseline measured in the same run.

The naive baseline is what a user would write first: pdfplumber's
``extract_text`` for PDFs (our readers for other formats) and spaCy's stock
pipeline, loaded afresh with ``spacy.load``, over every sentence. It is slow,
so it runs on one replicated copy of the corpus plus every extra file, and its
time is scaled to the whole corpus by that mix (every copy is the same
documents). The ratio is the naive time over ours for the same files.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
import resource
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .batch import discover, ingest
from .config import Settings
from .errors import IngestError
from .records import Failure
from .store import Store

TEXT_SUFFIXES = (".md", ".txt", ".html", ".htm")
# the naive baseline is timed on whole copies of the corpus holding at least this many words (one
# copy of the 2,000-word sample takes about a second, too short to time on a shared machine)
NAIVE_MIN_WORDS = 20_000


@dataclass(frozen=True)
class Measurement:
    label: str
    seconds: float
    words: int
    pages: int = 0
    pdf_seconds: float = 0.0  # of ``seconds``, spent getting text out of PDFs

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0


def readable(files: list[Path]) -> tuple[dict[Path, int], list[str]]:
    """The files the readers can read, each with its word count, and the others as "path: why":
    a file ingest would record as a failure (a CSV beside the texts, a corrupt PDF) is left out of
    the benchmark instead of stopping it."""
    from .ingest import read

    sizes, skipped = {}, []
    for path in files:
        try:
            sizes[path] = len(read(path).document.text.split())
        except IngestError as exc:
            skipped.append(f"{path}: {exc}")
    return sizes, skipped


def replicate(source: Path, target: Path, words: int) -> tuple[list[Path], int, list[str]]:
    """Copy the corpus's readable files until it holds ``words`` words; each text copy gets a unique
    line so hashes differ. Returns the copies, their words and the files left out (see :func:`readable`)."""
    sizes, skipped = readable([p for p in discover([source]) if not isinstance(p, Failure)])
    files = list(sizes)
    per_round = sum(sizes.values())
    if per_round == 0:
        raise ValueError(f"{source}: no readable documents to benchmark")
    copies, total, round_ = [], 0, 0
    while total < words:
        folder = target / f"copy-{round_:04d}"
        folder.mkdir(parents=True)
        for path in files:
            copy = folder / path.name
            if path.suffix.lower() in TEXT_SUFFIXES:
                text = path.read_text(encoding="utf-8", errors="replace")
                html = path.suffix.lower().startswith(".htm")
                marker = f"\n<!-- copy {round_} -->\n" if html else f"\n\nCopy {round_}.\n"
                copy.write_text(text + marker, encoding="utf-8")
            else:
                shutil.copyfile(path, copy)
            for side in (path.with_name(path.name + ".meta.json"), path.parent / "manifest.csv"):
                if side.is_file() and not (folder / side.name).exists():
                    shutil.copyfile(side, folder / side.name)
            copies.append(copy)
            total += sizes[path]
        round_ += 1
    return copies, total, skipped


def measure_ingest(folders: list[Path], settings: Settings, label: str) -> Measurement:
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        started = time.perf_counter()
        ingest(folders, store, settings)
        seconds = time.perf_counter() - started
        words = sum(len(r["text"].split()) for r in store.rows("SELECT text FROM sentences"))
        pages = sum(r["pages"] or 0 for r in store.rows("SELECT pages FROM documents WHERE format = 'pdf'"))
    return Measurement(label, seconds, words, pages)


def measure_compare(folders: list[Path], settings: Settings) -> tuple[float, int, int]:
    """Ingest ``folders`` (not timed), then time what ``govtrace ingest`` does next: compare every new
    version with the one before (the sentence-embedding model loaded in this process is counted) and
    link news events to the shifts. Returns (seconds, version pairs, shifts)."""
    from .compare import refresh_shifts
    from .compare.links import link_events

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        ingest(folders, store, settings)
        started = time.perf_counter()
        compared = refresh_shifts(store, settings=settings)
        link_events(store, settings=settings)
        seconds = time.perf_counter() - started
    return seconds, len(compared), sum(count for *_, count in compared)


def measure_naive(files: list[Path], settings: Settings) -> Measurement:
    """pdfplumber extract_text + spaCy's stock pipeline over every sentence of ``files``."""
    import pdfplumber
    import spacy

    from .ingest import read
    from .nlp import cheap_pipeline

    nlp = spacy.load(settings.spacy_model)
    nlp("warm up")
    warm_readers(files, settings)
    splitter = cheap_pipeline()
    words = pages = 0
    pdf_seconds = 0.0
    started = time.perf_counter()
    for path in files:
        if path.suffix.lower() == ".pdf":
            pdf_started = time.perf_counter()
            parts = []
            with pdfplumber.open(path) as pdf:
                for page in pdf.pages:
                    parts.append(page.extract_text() or "")
                    page.close()  # pdfplumber's advice: free each page's layout objects
                pages += len(pdf.pages)
            text = "\n".join(parts)
            pdf_seconds += time.perf_counter() - pdf_started
        else:
            text = read(path, settings).document.text
        sentences = [s.text for s in splitter(text).sents]
        for _ in nlp.pipe(sentences, batch_size=256):
            pass
        words += len(text.split())
    return Measurement("naive", time.perf_counter() - started, words, pages, pdf_seconds)


def measure_pdf_reading(files: list[Path], settings: Settings) -> Measurement:
    """Our PDF reader alone over the PDFs among ``files``."""
    from .ingest import read

    pdfs = [p for p in files if p.suffix.lower() == ".pdf"]
    warm_readers(pdfs, settings)
    started = time.perf_counter()
    pages = sum(read(p, settings).document.pages or 0 for p in pdfs)
    seconds = time.perf_counter() - started
    return Measurement("govtrace PDF reader", seconds, 0, pages, seconds)


def warm_readers(files: list[Path], settings: Settings) -> None:
    """Read the smallest file of each format once, so that importing a format's library is not timed."""
    from .ingest import read

    smallest: dict[str, Path] = {}
    for path in files:
        suffix = path.suffix.lower()
        if suffix not in smallest or path.stat().st_size < smallest[suffix].stat().st_size:
            smallest[suffix] = path
    for path in smallest.values():
        try:
            read(path, settings)
        except Exception:  # a bad file is timed (and fails) like any other
            pass


def naive_for_corpus(copy: list[Path], extra: list[Path], copies: float,
                     settings: Settings) -> tuple[Measurement, Measurement]:
    """The naive baseline's time for ``copies`` copies of ``copy`` plus ``extra``, measured on one of each.

    Args:
        copy: The files of the copies timed (whole copies, see :data:`NAIVE_MIN_WORDS`).
        extra: Files added once.
        copies: How many times ``copy`` stands for its share of the corpus.

    Returns:
        (the scaled estimate for the corpus, pdfplumber's part as measured on ``copy`` plus ``extra``).
    """
    one = measure_naive(copy, settings)
    rest = measure_naive(extra, settings) if extra else Measurement("naive", 0.0, 0)
    scaled = Measurement("naive: pdfplumber + stock spaCy on every sentence",
                         one.seconds * copies + rest.seconds,
                         round(one.words * copies) + rest.words, round(one.pages * copies) + rest.pages)
    plumber = Measurement("pdfplumber extract_text", one.pdf_seconds + rest.pdf_seconds, 0,
                          one.pages + rest.pages, one.pdf_seconds + rest.pdf_seconds)
    return scaled, plumber


def unchanged_rerun(count: int) -> float:
    """Seconds to re-run over ``count`` small files that are already stored."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "many"
        folder.mkdir()
        for i in range(count):
            (folder / f"note-{i:05d}.txt").write_text(f"Note {i}: the lab will publish report {i}.")
        with Store(Path(tmp) / "r.db") as store:
            settings = Settings(extract=False)
            ingest([folder], store, settings)
            started = time.perf_counter()
            ingest([folder], store, settings)
            return time.perf_counter() - started


def peak_memory_mb() -> float:
    """Peak resident memory of this process and its finished children (Linux reports KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _measured(task, *args, **kwargs):
    from .nlp import analyzer

    settings = next(a for a in args if isinstance(a, Settings))
    # model loading is not what we measure
    analyzer(settings.spacy_model, settings.parse_cache, settings.blas).nlp("warm up")
    return task(*args, **kwargs), peak_memory_mb()


def in_fresh_process(task, *args, **kwargs):
    """Run one measurement in a new process, so its peak memory is its own: (result, peak MB)."""
    import multiprocessing

    with cf.ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_measured, task, *args, **kwargs).result()


def run(source: Path, extra: list[Path], *, words: int, jobs: int, rerun_files: int,
        settings: Settings) -> str:
    """Run the whole benchmark and return the report text; every measurement runs in its own process.

    Our runs: one job without the parse cache (every sentence parsed as if new),
    then one job and ``jobs`` jobs with the settings given (cache on by default).
    """
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        copies, total, skipped = replicate(source, Path(tmp), words)
        copy_folders = sorted({p.parent for p in copies})
        rounds = len(copy_folders)
        extra_sizes, extra_skipped = readable([p for p in discover(extra) if not isinstance(p, Failure)])
        extra_files = list(extra_sizes)
        skipped += extra_skipped
        first_round = [p for p in copies if p.parent == copy_folders[0]]
        timed_rounds = min(rounds, max(1, math.ceil(NAIVE_MIN_WORDS * rounds / total)))
        timed = [p for p in copies if p.parent in copy_folders[:timed_rounds]]
        folders = [Path(tmp), *extra]
        (naive, plumber), _ = in_fresh_process(naive_for_corpus, timed, extra_files,
                                               rounds / timed_rounds, settings)
        reader, _ = in_fresh_process(measure_pdf_reading, first_round + extra_files, settings)
        results, peaks = [], []
        runs = [(1, 0, "govtrace, --jobs 1, no parse cache")] + [
            (n, settings.parse_cache, f"govtrace, --jobs {n}") for n in sorted({1, jobs})]
        for n, cache, label in runs:
            run_settings = settings.replace(jobs=n, parse_cache=cache)
            result, peak = in_fresh_process(measure_ingest, folders, run_settings, label)
            results.append(result)
            peaks.append(f"{label.removeprefix('govtrace, ')}: {peak:,.0f} MB")
        (compare_seconds, pairs, shifts), compare_peak = in_fresh_process(measure_compare, folders,
                                                                          settings.replace(jobs=1))
    rerun = unchanged_rerun(rerun_files) if rerun_files else None
    stored_words = results[0].words
    lines.append(f"corpus: {source} replicated to {total:,} words ({len(copies)} files, {rounds} copies)"
                 + (f" + {', '.join(map(str, extra))} ({len(extra_files)} files)" if extra else ""))
    lines.append(f"{'run':52} {'seconds':>8} {'words/s':>9} {'vs naive':>9}")
    for m in [naive, *results]:
        ratio = naive.seconds / m.seconds if m.seconds else 0.0
        lines.append(f"{m.label:52} {m.seconds:8.1f} {stored_words / m.seconds:9,.0f} {ratio:8.2f}x")
    if reader.pages and plumber.seconds and reader.seconds:
        lines.append(f"PDF text, {reader.pages:,} pages (one copy + extra files): pdfplumber "
                     f"{plumber.pages / plumber.seconds:,.1f} pages/s, govtrace "
                     f"{reader.pages / reader.seconds:,.1f} "
                     f"pages/s ({plumber.seconds / reader.seconds:.1f}x)")
    lines.append(f"words/s counts the {stored_words:,} words of the stored sentences for every row; the "
                 "naive time "
                 f"was measured on {timed_rounds} of the {rounds} copies plus the extra files and scaled to "
                 "all")
    lines.append("the copies repeat every sentence, so with the parse cache (the default) each is parsed "
                 "once per process; the no-cache row is the rate on text never seen before")
    lines.append(f"peak memory (the process and its workers): {', '.join(peaks)}")
    lines.append(f"comparing the new versions ingest finds ({pairs} version pairs, {shifts} shifts) and "
                 f"linking news events to them: {compare_seconds:.1f} s more, the embedding model's "
                 f"load included (one core, peak {compare_peak:,.0f} MB)")
    if rerun is not None:
        lines.append(f"unchanged re-run of {rerun_files:,} stored files: {rerun:.1f} s")
    if skipped:
        lines.append(f"left out, unreadable ({len(skipped)}): " + "; ".join(skipped))
    return "\n".join(lines) + "\n"
