"""The ``govtrace`` command: a thin layer of options around the library."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

import click

from . import batch, query as query_lib
from .config import load_settings
from .errors import GovtraceError
from .rules import validate
from .store import Store

FORMATS = ("table", "csv", "jsonl", "parquet", "xlsx")


class IsoDate(click.ParamType):
    """A calendar date, whole or partial: 2024, 2024-08 or 2024-08-01 (2025-13-45 is refused)."""

    name = "ISO date"

    def convert(self, value, param, ctx):
        import datetime as dt

        text = str(value).strip()
        padded = {4: text + "-01-01", 7: text + "-01", 10: text}.get(len(text))
        try:
            dt.date.fromisoformat(padded or "")
        except ValueError:
            self.fail(f"{value!r} is not a date; write YYYY-MM-DD, YYYY-MM or YYYY", param, ctx)
        return text


ISO_DATE = IsoDate()


def _settings(ctx: click.Context, **overrides):
    try:
        return load_settings(ctx.obj.get("config"), **overrides)
    except GovtraceError as exc:  # a bad settings file stops the command before any work, exit 2
        _fail(exc)


def _fail(exc: GovtraceError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", type=click.Path(dir_okay=False), help="TOML settings file overriding the defaults.")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(package_name="govtrace")
@click.pass_context
def main(ctx: click.Context, config: str | None, verbose: int) -> None:
    """govtrace: read AI-governance documents, extract what they claim, measure and
    promise, and report how it changes.

    Example: govtrace ingest corpora/sample --db govtrace.db
    """
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=max(level, logging.DEBUG), format="%(levelname)s %(name)s: %(message)s")
    ctx.ensure_object(dict)
    ctx.obj["config"] = config


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="SQLite database file.")
@click.option("--jobs", type=click.IntRange(1, 256), default=None, help="Worker processes (default 1).")
@click.option("--force", is_flag=True, help="Re-process files even when unchanged.")
@click.option("--no-extract", is_flag=True, help="Only read and store documents; skip extraction.")
@click.option("--max-file-size", type=click.IntRange(1), default=None,
              help="Refuse files larger than this many bytes.")
@click.option("--timeout", type=click.FloatRange(0), default=None, help="Per-document time limit in seconds.")
@click.option("--parse-cache", type=click.IntRange(0), default=None,
              help="Sentence parses kept per process for reuse when a sentence recurs (default 10000; 0 "
                   "turns it off).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default=None,
              help="Where parsing and extraction run: local processes (default) or Dask workers.")
@click.option("--scheduler", help="tcp://HOST:PORT of a running Dask scheduler (implies --executor dask).")
@click.option("--out", nargs=2, type=(click.Choice(["parquet"]), click.Path(file_okay=False)), default=None,
              help="Also write the store's tables as partitioned Parquet: --out parquet DIR.")
@click.option("--follow-symlinks", is_flag=True, help="Also read linked files that point outside the folder.")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Skip files whose name or path matches (repeatable): --exclude README.md --exclude "
                   "'drafts/*'.")
@click.option("--no-compare", is_flag=True,
              help="Do not compare new versions of a series (compare stores shifts).")
@click.pass_context
def ingest(ctx, paths, db, jobs, force, no_extract, max_file_size, timeout, parse_cache, executor,
           scheduler, out, follow_symlinks, exclude, no_compare):
    """Ingest files and folders of documents into the store, extracting findings.

    Unchanged files (same path and content hash) are skipped; a changed file
    is stored as a new version and the old one kept.

    Example: govtrace ingest corpora/sample --db govtrace.db --jobs 2
    """
    settings = _settings(ctx, jobs=jobs, force=force or None, extract=False if no_extract else None,
                         max_file_size=max_file_size, timeout_seconds=timeout, executor=executor,
                         scheduler=scheduler, parse_cache=parse_cache,
                         follow_symlinks=follow_symlinks or None)
    if exclude:
        settings = settings.replace(exclude=(*settings.exclude, *exclude))
    try:
        validate(settings)  # one clear stop before the run, not an 'unexpected error' on every file
    except GovtraceError as exc:
        _fail(exc)
    try:
        with Store(db) as store:
            files = [f for f in batch.discover(paths, follow_symlinks=settings.follow_symlinks)
                     if not batch.excluded(f, store, settings)]
            with click.progressbar(length=len(files), label="ingesting", file=sys.stderr) as bar:
                summary = batch.ingest(paths, store, settings, progress=lambda _: bar.update(1))
            compared = _refresh_shifts(store, settings) if settings.extract and not no_compare else []
            found = query_lib.finding_counts(store, summary.ingested)
            if out:
                from .export import export_parquet

                export_parquet(store, Path(out[1]))
    except GovtraceError as exc:
        _fail(exc)
    click.echo(batch.format_summary(summary), nl=False)
    if any(found.values()):
        click.echo("findings   " + ", ".join(f"{n} {kind}" for kind, n in found.items()))
    click.echo()
    for series, old, new, count in compared:
        click.echo(f"new version in series '{series}': {Path(new.path).name} ({count} shifts from "
                   f"{Path(old.path).name}); read them with: govtrace compare {old.id} {new.id} --db {db}")
    sys.exit(summary.exit_code)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="SQLite database file.")
@click.option("--interval", type=click.FloatRange(0.1), default=300.0, show_default=True,
              help="Seconds between looks at the folders.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Keep this Atom feed of shifts up to date.")
@click.option("--runs", type=click.IntRange(1), default=None,
              help="Stop after this many looks (default: until Ctrl-C).")
@click.pass_context
def watch(ctx, paths, db, interval, output, runs):
    """Keep folders under watch: ingest what changed, compare new versions, rewrite the feed; Ctrl-C stops
    between runs, with nothing half-stored (each document is stored in one transaction).

    Example: govtrace watch ~/policies --db govtrace.db -o shifts.atom --interval 600
    """
    import signal
    import time

    from .feed import atom

    settings = _settings(ctx)
    try:
        validate(settings)
    except GovtraceError as exc:
        _fail(exc)
    stop = {"asked": False}

    def ask_to_stop(signum, frame):  # finish the current document and run, then leave
        stop["asked"] = True
        click.echo("stopping after this run ...", err=True)

    previous = signal.signal(signal.SIGINT, ask_to_stop)
    done = 0
    try:
        while not stop["asked"]:
            with Store(db) as store:
                summary = batch.ingest(paths, store, settings)
                compared = _refresh_shifts(store, settings) if summary.ingested else []
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            click.echo(f"{stamp}  {len(summary.ingested)} new or changed, {len(summary.failed)} refused, "
                       f"{sum(n for *_, n in compared)} new shifts")
            if output and (summary.ingested or done == 0):
                with Store(db, read_only=True) as store:
                    _write(atom(store, settings=settings), output)
            done += 1
            if runs is not None and done >= runs:
                break
            deadline = time.monotonic() + interval
            while not stop["asked"] and time.monotonic() < deadline:
                time.sleep(min(0.2, interval))
    except GovtraceError as exc:
        _fail(exc)
    finally:
        signal.signal(signal.SIGINT, previous)


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="SQLite database file.")
@click.pass_context
def fetch(ctx, folder, db):
    """Download every source listed in FOLDER/manifest.csv (columns file,source_url), keep a file only
    when its text changed, then ingest the folder; each fetch is recorded with its time and ETag.

    Example: govtrace fetch ~/watched --db govtrace.db
    """
    from .fetch import fetch as fetch_sources

    settings = _settings(ctx)
    try:
        validate(settings)
        with Store(db) as store:
            results = fetch_sources(Path(folder), store, settings)
            summary = batch.ingest([folder], store, settings)
            compared = _refresh_shifts(store, settings) if summary.ingested else []
    except GovtraceError as exc:
        _fail(exc)
    for result in results:
        click.echo(f"{result.outcome:14}  {result.path.name}  {result.url}")
    click.echo(f"{len(summary.ingested)} ingested, {sum(n for *_, n in compared)} new shifts")


def _refresh_shifts(store, settings):
    """Compare and store every pair of versions not compared yet; a failure is reported, not fatal."""
    from .compare import refresh_shifts

    if not settings.compare_on_ingest:
        return []
    from .compare.links import link_events

    try:
        compared = refresh_shifts(store, settings=settings, progress=lambda text: click.echo(text, err=True))
        link_events(store, settings=settings)  # news events to the policy passages that show them
        return compared
    except GovtraceError as exc:  # the embedding model missing, say: the ingest itself stands
        click.echo(f"warning: shifts not compared ({exc})", err=True)
        return []


@main.command()
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False),
              help="SQLite database file.")
@click.pass_context
def extract(ctx, db):
    """Re-run extraction over stored documents without re-reading the files.

    Example: govtrace extract --db govtrace.db
    """
    settings = _settings(ctx)
    try:
        validate(settings)
        with Store(db) as store:
            count = batch.reextract(store, settings)
            store.forget_comparisons()  # shifts are read from findings: compare every pair again
            compared = _refresh_shifts(store, settings)
    except GovtraceError as exc:
        _fail(exc)
    click.echo(f"re-extracted {count} document(s); compared {len(compared)} pair(s) of versions")


@main.command()
@click.argument("what", type=click.Choice(query_lib.TABLES))
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False),
              help="SQLite database file.")
@click.option("--actor", help="Only findings of this actor or speaker (aliases resolve).")
@click.option("--topic", help="Only findings tagged with this topic.")
@click.option("--kind", help="What kind: of document (documents, sentences: its unit kind), commitment, "
                             "event, or shift (weakened, removed ...).")
@click.option("--unit", help="Metrics only: percent, currency, flop, duration, count ...")
@click.option("--claim-type", help="Claims only: factual, forecast, normative or evaluative.")
@click.option("--since", type=ISO_DATE, help="Only documents dated on or after this ISO date.")
@click.option("--until", type=ISO_DATE, help="Only documents dated on or before this ISO date.")
@click.option("--search", help="Full-text search over the source sentences (SQLite FTS5 syntax).")
@click.option("--document", help="Only this document: its file name, path or id.")
@click.option("--due-before", type=ISO_DATE, help="Commitments falling due on or before this ISO date.")
@click.option("--due-after", type=ISO_DATE, help="Commitments falling due on or after this ISO date.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write here instead of standard output.")
@click.pass_context
def query(ctx, what, db, actor, topic, kind, unit, claim_type, since, until, search, document,
          due_before, due_after, fmt, output):
    """Query stored documents, findings or failures.

    Example: govtrace query commitments --db govtrace.db --actor Anthropic --format jsonl

    Example: govtrace query commitments --db govtrace.db --due-before 2024-08-01
    """
    if kind and what in ("metrics", "claims"):
        raise click.UsageError(f"--kind does not apply to {what}; use "
                               f"--{'unit' if what == 'metrics' else 'claim-type'}")
    if (unit and what != "metrics") or (claim_type and what != "claims"):
        raise click.UsageError("--unit filters metrics and --claim-type filters claims")
    settings = _settings(ctx)
    try:
        with Store(db, read_only=True) as store:
            query_lib.check_filters(store, actor=actor, topic=topic, settings=settings)
            frame = query_lib.find(store, what, settings=settings, actor=actor, topic=topic,
                                   kind=kind or unit or claim_type,
                                   since=since, until=until, search=search, due_before=due_before,
                                   due_after=due_after, document=document)
    except GovtraceError as exc:
        _fail(exc)
    if fmt in ("parquet", "xlsx") and not output:
        raise click.UsageError(f"--format {fmt} needs -o FILE")
    text = query_lib.render(frame, fmt, output, what=what)
    if text is not None:
        click.echo(text, nl=False)


@main.command()
@click.option("--corpus", type=click.Path(exists=True, file_okay=False), default="corpora/sample",
              show_default=True, help="Folder of documents the gold annotations describe.")
@click.option("--gold", type=click.Path(exists=True, file_okay=False), default="corpora/gold",
              show_default=True, help="Folder of gold JSONL annotations.")
@click.option("--db", type=click.Path(dir_okay=False),
              help="Keep the evaluation database here (default: temporary).")
@click.option("--peers/--no-peers", default=True, help="Also score quantulum3 and textacy on the same gold.")
@click.option("--real-corpus", type=click.Path(file_okay=False), default="../shared/corpora/seeds",
              show_default=True,
              help="Real documents described by GOLD/real (scored separately; skipped when absent).")
@click.option("--legal-corpus", type=click.Path(file_okay=False), default="../shared/corpora/regulation-pdfs",
              show_default=True, help="Regulation PDFs described by GOLD/legal (skipped when absent).")
@click.option("--frontier", type=click.Path(exists=True, file_okay=False),
              help="Instead: score the comparator on hand-coded framework revisions (leave-one-pair-out), "
                   "beside a difflib sentence diff.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def evaluate(ctx, corpus, gold, db, peers, real_corpus, legal_corpus, frontier, fmt):
    """Score every extractor (precision, recall, F1 per field) against gold annotations, and the topic
    classifier per topic: cross-validated on GOLD/topics.jsonl and on the real news in GOLD/real.

    With --frontier DIR, score the comparator instead: macro-F1 over weakened/strengthened/removed/added,
    per-class precision and recall, false shifts on retained commitments, shifts per coded change and
    changelog-audit accuracy, per pair and overall, for govtrace and a difflib sentence diff.

    Example: govtrace evaluate --corpus corpora/sample --gold corpora/gold

    Example: govtrace evaluate --frontier ../shared/corpora/frontier-dev
    """
    from . import evaluate as evaluation, evaluate_topics as topic_evaluation

    if frontier:
        from . import evaluate_revisions as revisions

        try:
            result = revisions.evaluate_revisions(Path(frontier), _settings(ctx), db=Path(db) if db else None)
        except GovtraceError as exc:
            _fail(exc)
        click.echo(json.dumps(result, indent=2) if fmt == "json" else revisions.format_revisions(result),
                   nl=False)
        return
    try:
        scores = evaluation.evaluate(Path(corpus), Path(gold), _settings(ctx), db=Path(db) if db else None,
                                     peers=peers, real_corpus=Path(real_corpus),
                                     legal_corpus=Path(legal_corpus))
        scores += topic_evaluation.evaluate_topics(Path(gold), _settings(ctx), real_corpus=Path(real_corpus))
    except GovtraceError as exc:
        _fail(exc)
    if fmt == "json":
        click.echo(json.dumps([s.to_dict() for s in scores], indent=2))
    else:
        click.echo(evaluation.format_scores(scores) + topic_evaluation.format_summary(scores), nl=False)


@main.command()
@click.option("--data", type=click.Path(exists=True, dir_okay=False), default="corpora/gold/topics.jsonl",
              show_default=True, help="Topic-annotated sentences (JSONL: text, topics).")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Model file (default: models/topics.json).")
@click.pass_context
def train(ctx, data, out):
    """Rebuild the topic classifier from annotated sentences (saved as JSON, not pickle).

    Example: govtrace train --data corpora/gold/topics.jsonl --out models/topics.json
    """
    from .extract import topics

    settings = _settings(ctx)
    target = Path(out) if out else settings.models_dir / "topics.json"
    model = topics.train(Path(data), target, families=settings.models_dir / "topic_families.json")
    click.echo(f"wrote {target} ({len(model.labels)} topics, {len(model.vectorizer.vocabulary)} features, "
               f"{len(model.families)} word families)")


def _document(store, ref: str):
    """A stored document by id, path (as given to ingest, relative or not) or file name (the newest when
    several match)."""
    absolute = os.path.abspath(ref)
    for document in reversed(store.documents()):
        if (ref == str(document.id) or ref == document.path or os.path.abspath(document.path) == absolute
                or Path(document.path).name == ref):
            return document
    raise GovtraceError(f"no stored document matches '{ref}'; list them with 'govtrace query documents'")


def _write(text: str, output: str | None) -> None:
    if output:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")
    else:
        click.echo(text, nl=False)


@main.command("train-shifts")
@click.option("--frontier", required=True, type=click.Path(exists=True, file_okay=False),
              help="Hand-coded framework revisions (pair_documents.csv, changes.csv, texts/).")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Model file (default: models/shift_model.json).")
@click.pass_context
def train_shifts(ctx, frontier, out):
    """Train the comparator's direction model on hand-coded revisions and save it as JSON.

    Example: govtrace train-shifts --frontier ../shared/corpora/frontier-dev
    """
    from . import evaluate_revisions as revisions

    settings = _settings(ctx)
    target = Path(out) if out else settings.models_dir / "shift_model.json"
    try:
        model = revisions.train_shift_model(Path(frontier), settings, target)
    except GovtraceError as exc:
        _fail(exc)
    click.echo(f"trained on {', '.join(model.trained_on)}; wrote {target}")


@main.command()
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False),
              help="SQLite database file.")
def series(db):
    """List the version series found in the store (same publisher, same policy).

    Example: govtrace series --db govtrace.db
    """
    from .compare import find_series

    with Store(db, read_only=True) as store:
        for name, documents in find_series(store).items():
            versions = ", ".join(f"{d.version or '?'} ({d.date})" for d in documents)
            click.echo(f"{name}: {versions}")


@main.command()
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option("--series", "series_name", help="Compare every consecutive pair of versions in this series.")
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False),
              help="SQLite database file.")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option("--changelog", type=click.Path(exists=True, dir_okay=False),
              help="The revision's changelog or announcement, to audit which shifts it announces.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="Leave out shifts the direction model is less sure of.")
@click.option("--include-reworded", is_flag=True,
              help="Also list passages rewritten without a material change.")
@click.pass_context
def compare(ctx, old, new, series_name, db, fmt, output, changelog, min_confidence, include_reworded):
    """Compare two documents (id, path or file name), or all versions of a series.

    The report opens with a ranked summary (removed and weakened commitments first); every shift
    carries its confidence, its reason, both passages with section and page, and whether the
    changelog announces it.

    Example: govtrace compare fsf-v3.0.txt fsf-v3.1.txt --db govtrace.db --changelog notes.md
    --min-confidence 0.6
    """
    from . import report as reports

    if not series_name and not (old and new):
        raise click.UsageError("give OLD and NEW documents, or --series NAME")
    options = {"settings": _settings(ctx), "min_confidence": min_confidence,
               "include_reworded": include_reworded, "changelog": Path(changelog) if changelog else None}
    try:
        with Store(db, read_only=True) as store:
            built = (reports.build_report(store, series=series_name, settings=options["settings"])
                     if series_name
                     else reports.compare_pair(store, _document(store, old),
                                               _document(store, new), **options))
            text = reports.render(built, fmt)
    except GovtraceError as exc:
        _fail(exc)
    if fmt == "html" and not output:  # a page, not something to scroll past in a terminal
        output = "govtrace-compare.html"
    _write(text, output)


@main.command()
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False),
              help="SQLite database file.")
@click.option("--actor", help="Only this actor's series and timeline.")
@click.option("--topic", help="Only shifts and positions on this topic.")
@click.option("--since", help="Only versions and positions dated on or after this ISO date.")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="html", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the report here (an HTML report goes to govtrace-report.html when not given).")
@click.pass_context
def report(ctx, db, actor, topic, since, fmt, output):
    """Write a change report: every series' shifts, corroboration of metrics, actor timelines.

    Example: govtrace report --db govtrace.db --actor Anthropic --topic pause_moratorium --format html
    -o report.html
    """
    from . import report as reports

    try:
        with Store(db, read_only=True) as store:
            query_lib.check_filters(store, actor=actor, topic=topic, settings=_settings(ctx))
            text = reports.render(reports.build_report(store, actor=actor, topic=topic, since=since,
                                                       settings=_settings(ctx)), fmt)
    except GovtraceError as exc:
        _fail(exc)
    if fmt == "html" and not output:  # a page, not something to scroll past in a terminal
        output = "govtrace-report.html"
    _write(text, output)


@main.command()
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False),
              help="SQLite database file.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the feed here (default: standard output).")
@click.option("--actor", help="Only this publisher's shifts and this actor's events (aliases resolve).")
@click.option("--topic", help="Only shifts and events tagged with this topic.")
@click.option("--since", type=ISO_DATE, help="Only documents dated on or after this ISO date.")
@click.pass_context
def feed(ctx, db, output, actor, topic, since):
    """Write an Atom feed: one entry per stored shift and per event on a commitment, with stable ids.

    Example: govtrace feed --db govtrace.db -o shifts.atom --actor Anthropic
    """
    from .feed import atom

    settings = _settings(ctx)
    try:
        with Store(db, read_only=True) as store:
            query_lib.check_filters(store, actor=actor, topic=topic, settings=settings)
            text = atom(store, actor=actor, topic=topic, since=since, settings=settings)
    except GovtraceError as exc:
        _fail(exc)
    _write(text, output)


@main.command()
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False),
              help="SQLite database file.")
@click.option("--since", type=ISO_DATE, help="New since this date (default: since the previous ingest).")
def digest(db, since):
    """Print what is new since the previous ingest as Markdown: documents, shifts (ranked), refused files.

    Example: govtrace digest --db govtrace.db
    """
    from .feed import digest as make_digest

    try:
        with Store(db, read_only=True) as store:
            text = make_digest(store, since=since)
    except GovtraceError as exc:
        _fail(exc)
    click.echo(text, nl=False)


@main.command()
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False),
              help="SQLite database file.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The .xlsx file to write.")
@click.pass_context
def export(ctx, db, output):
    """Write every table (documents, shifts, findings, failures) to one spreadsheet, a sheet each.

    Example: govtrace export --db govtrace.db -o govtrace.xlsx
    """
    from .export import workbook

    try:
        with Store(db, read_only=True) as store:
            sheets = workbook(store, Path(output), settings=_settings(ctx))
    except GovtraceError as exc:
        _fail(exc)
    click.echo(f"wrote {output} ({', '.join(sheets)})")


@main.command()
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False),
              help="SQLite database file.")
@click.pass_context
def topics(ctx, db):
    """List the topics findings can be tagged with, and how many stored findings carry each.

    Example: govtrace topics --db govtrace.db
    """
    _echo_counts(db, lambda store: query_lib.topic_counts(store, _settings(ctx)))


@main.command()
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False),
              help="SQLite database file.")
def actors(db):
    """List the actors, speakers and entities stored findings name, with their number of findings.

    Example: govtrace actors --db govtrace.db
    """
    _echo_counts(db, query_lib.actor_counts)


def _echo_counts(db: str, count) -> None:
    """Print name and count lines, most frequent first, from ``count(store)``."""
    try:
        with Store(db, read_only=True) as store:
            counts = count(store)
    except GovtraceError as exc:
        _fail(exc)
    for name, number in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        click.echo(f"{number:8d}  {name}")


@main.command()
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False),
                default="corpora/sample")
@click.option("--extra", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="Folders added as they are (default: ../shared/corpora/regulation-pdfs when present).")
@click.option("--words", type=click.IntRange(1), default=2_000_000, show_default=True,
              help="Replicate PATH until it holds this many words.")
@click.option("--jobs", type=click.IntRange(1), default=2, show_default=True,
              help="Also measure with this many workers.")
@click.option("--rerun-files", type=click.IntRange(0), default=10_000, show_default=True,
              help="Time an unchanged re-run over this many small stored files (0 skips it).")
@click.pass_context
def bench(ctx, path, extra, words, jobs, rerun_files):
    """Measure ingest+extract speed against a naive baseline measured in the same run.

    Example: govtrace bench corpora/sample --words 200000 --jobs 2
    """
    from . import bench as benchmark

    folders = [Path(e) for e in extra]
    shared = Path("../shared/corpora/regulation-pdfs")
    if not extra and shared.is_dir():
        folders.append(shared)
    click.echo(benchmark.run(Path(path), folders, words=words, jobs=jobs, rerun_files=rerun_files,
                             settings=_settings(ctx)), nl=False)


if __name__ == "__main__":  # python -m pipeline.cli, as the govtrace command
    main()
