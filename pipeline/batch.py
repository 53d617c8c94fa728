"""Batch runs: discover files, skip unchanged ones, parse, split, extract, store.

Parsing and extraction run in worker processes (``jobs`` > 1) or in this
process; the store is written by this process only, one transaction per
document, so an interrupted run never leaves half a document.
"""

from __future__ import annotations

import fnmatch
import functools
import logging
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .config import Settings
from .errors import BadFileName, NotARegularFile, OutsideFolder, UnreadableFile
from .records import Failure
from .rules import Rules, rules_for
from .store import Store, file_name
from .tasks import Processed, failure_of, process_file, safely, warm_up

log = logging.getLogger(__name__)

SKIP_SUFFIXES = (".meta.json",)
SKIP_NAMES = {"manifest.csv", ".DS_Store", "Thumbs.db"}


@dataclass
class RunSummary:
    """What a batch run did, file by file."""

    run_id: int | None = None
    ingested: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    # links left alone on purpose (a linked folder, a file linking outside the folder): not failures
    skipped: list[Failure] = field(default_factory=list)
    # files matching an exclude glob (by default a folder's README.md and CHANGELOG.md)
    excluded: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def discover(paths: Iterable[str | Path], *, follow_symlinks: bool = False) -> Iterator[Path | Failure]:
    """Yield the files under the given paths, in a stable order.

    Only regular files are read: a pipe, device or socket (or a link to one, such as
    ``/dev/zero``) would block or never end. Symlinked folders are not followed (no loops) and
    are recorded as skipped; a linked file whose target lies outside the folder being ingested
    is read only with ``follow_symlinks``. A name that is not valid UTF-8, a path that cannot be
    listed or a broken link is yielded as a :class:`Failure`, and the rest of the folder goes on.
    """
    for root in paths:
        root = Path(root)
        if root.is_dir():
            yield from _walk(root, follow_symlinks)
        elif root.exists() or root.is_symlink():
            yield _checked(root.absolute(), None, follow_symlinks)
        else:
            yield failure_of(UnreadableFile(str(root), "no such file or folder"))


def _walk(root: Path, follow_symlinks: bool) -> Iterator[Path | Failure]:
    errors: list[OSError] = []
    inside = root.resolve()
    for folder, dirs, files in os.walk(root, onerror=errors.append, followlinks=False):
        for name in sorted(d for d in dirs if os.path.islink(os.path.join(folder, d))):
            yield failure_of(OutsideFolder(_printable(Path(folder, name).absolute()),
                                         "a linked folder, skipped (folders behind links are never followed)",
                                         "Pass the folder itself if it should be read."))
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and not os.path.islink(os.path.join(folder, d)))
        for name in sorted(files):
            if name.startswith(".") or name in SKIP_NAMES or name.endswith(SKIP_SUFFIXES):
                continue
            yield _checked(Path(folder, name).absolute(), inside, follow_symlinks)
    for error in errors:
        yield failure_of(UnreadableFile(str(error.filename), f"cannot list the folder ({error.strerror})"))


def _checked(path: Path, inside: Path | None, follow_symlinks: bool) -> Path | Failure:
    """The path when it is a readable regular file within bounds, else why it is left out."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return failure_of(BadFileName(_printable(path), "the file name is not valid UTF-8"))
    if path.is_symlink():
        if not path.exists():
            return failure_of(UnreadableFile(str(path), "broken or looping symbolic link"))
        target = path.resolve()
        if inside is not None and not follow_symlinks and not target.is_relative_to(inside):
            return failure_of(OutsideFolder(str(path), f"a link to {target}, outside the folder; not read"))
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return failure_of(UnreadableFile(str(path), f"cannot read the file ({exc.strerror})"))
    if not stat.S_ISREG(mode):
        return failure_of(NotARegularFile(str(path), "not a regular file (a pipe, device or socket)"))
    return path


def _printable(path: Path) -> str:
    """A path whose name may hold bytes that are not UTF-8, shown with those bytes escaped."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def excluded(item: Path | Failure, store: Store, settings: Settings) -> bool:
    """The store's own files (a database kept inside the folder it ingests, with its -wal and -shm) and
    files matching a ``--exclude`` glob, by name or by path."""
    if _own(item, store):
        return True
    path = Path(item.path) if isinstance(item, Failure) else item
    text = path.as_posix()
    return any(fnmatch.fnmatch(path.name, glob) or fnmatch.fnmatch(text, glob)
               or fnmatch.fnmatch(text, "*/" + glob)
               for glob in settings.exclude)


def _own(item: Path | Failure, store: Store) -> bool:
    """The store's database file or one of its journals."""
    path = os.path.abspath(item.path if isinstance(item, Failure) else item)
    own = os.path.abspath(store.path)
    return path in (own, own + "-wal", own + "-shm", own + "-journal")


def sha256_file(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    settings: Settings,
    *,
    progress: Callable[[str], None] | None = None,
) -> RunSummary:
    """Ingest every file under ``paths`` into ``store``.

    Args:
        paths: Files or folders.
        store: The open store; written by this process only.
        settings: Run settings (jobs, force, limits, extraction on or off).
        progress: Called with each file's path once it is settled.

    Returns:
        The run summary; failures are also recorded in the store.
    """
    started = time.monotonic()
    rules = rules_for(settings)
    run_id = store.start_run()
    summary = RunSummary(run_id=run_id)
    known = store.known_hashes()
    todo: list[Path] = []
    for item in discover(paths, follow_symlinks=settings.follow_symlinks):
        if _own(item, store):
            continue
        if excluded(item, store, settings):
            summary.excluded.append(item.path if isinstance(item, Failure) else str(item))
            continue
        if isinstance(item, Failure):
            _record(store, summary, item, progress, skipped=item.error == OutsideFolder.__name__)
            continue
        try:
            digest = sha256_file(item)
        except OSError as exc:
            _record(store, summary,
                    failure_of(UnreadableFile(str(item), f"cannot read the file ({exc.strerror})")), progress)
            continue
        if not settings.force and digest in known.get(str(item), ()):
            summary.unchanged.append(str(item))
            if progress:
                progress(str(item))
            continue
        todo.append(item)
    if todo and settings.executor == "local" and not settings.scheduler:
        # one job: the parser loads while the first file is read; several: it is loaded here once and
        # the forked workers share it (see pool.run_in_pool), instead of each loading its own
        warm_up(settings, rules)
    for path, result in _run(todo, settings, rules):
        if isinstance(result, Failure):
            _record(store, summary, result, progress)
            continue
        store.save_document(result.document, result.sentences, result.extraction, replace=settings.force)
        summary.ingested.append(str(path))
        if progress:
            progress(str(path))
    store.finish_run(run_id, ingested=len(summary.ingested), unchanged=len(summary.unchanged),
                     failed=len(summary.failed))
    summary.seconds = time.monotonic() - started
    return summary


def _record(store: Store, summary: RunSummary, failure: Failure, progress: Callable[[str], None] | None, *,
            skipped: bool = False) -> None:
    log.warning("%s", failure.message)
    store.record_failure(summary.run_id, failure)
    (summary.skipped if skipped else summary.failed).append(failure)
    if progress:
        progress(failure.path)


def _run(paths: list[Path], settings: Settings, rules: Rules) -> Iterator[tuple[Path, Processed | Failure]]:
    """Process files in this process, a pool or on Dask workers, keeping a bounded number in flight."""
    if settings.executor == "dask" or settings.scheduler:
        from .distributed import run_on_dask

        yield from run_on_dask(paths, settings, functools.partial(_process_safely, rules=rules))
        return
    if settings.jobs <= 1 or not paths:
        for path in paths:
            yield path, _process_safely(path, settings, rules)
        return
    from .pool import run_in_pool

    yield from run_in_pool(paths, settings, rules)


def _process_safely(path: Path, settings: Settings, rules: Rules) -> Processed | Failure:
    return safely(process_file, path, path, settings, rules)


def reextract(store: Store, settings: Settings, *, progress: Callable[[str], None] | None = None) -> int:
    """Re-run extraction over every stored current document without re-reading files.

    Returns:
        The number of documents re-extracted.
    """
    from .extract import extract_document

    count = 0
    rules = rules_for(settings)
    for document in store.documents(current_only=True):
        assert document.id is not None
        extraction = extract_document(document, store.sentences(document.id), settings, rules=rules)
        store.save_extraction(document.id, extraction)
        count += 1
        if progress:
            progress(document.path)
    return count


def format_summary(summary: RunSummary) -> str:
    """The run summary table printed after an ingest."""
    lines = [
        f"ingested   {len(summary.ingested):>6}",
        f"unchanged  {len(summary.unchanged):>6}",
        f"failed     {len(summary.failed):>6}",
    ]
    if summary.skipped:
        lines.insert(2, f"skipped    {len(summary.skipped):>6}")
    if summary.excluded:
        names = ", ".join(file_name(p) for p in summary.excluded[:5]) + (", ..."
                                                                         if len(summary.excluded) > 5 else "")
        lines.insert(2, f"excluded   {len(summary.excluded):>6}   ({names})")
    lines.append(f"seconds    {summary.seconds:>6.1f}")
    if summary.failed:
        lines.append("")
        lines.append("failures (also in 'govtrace query failures'):")
        for failure in summary.failed:
            lines.append(f"  [{failure.error}] {failure.message}")
    if summary.skipped:
        lines += ["", "skipped links (also in 'govtrace query failures'):"]
        lines += [f"  {failure.message}" for failure in summary.skipped]
    return "\n".join(lines) + "\n"
