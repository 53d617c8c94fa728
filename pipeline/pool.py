"""Batch work on a local process pool: files, and large documents in parts, across ``--jobs`` workers.

This process keeps one task per worker in flight and picks the next itself: the parts of a document
already begun (its chunks' parses, then its extraction walk, see :mod:`pipeline.tasks`) go before a
new file, so a large document is spread over every worker instead of holding one while the others
run out of files, and its parses do not wait long in memory. Files start largest first.
"""

from __future__ import annotations

import concurrent.futures as cf
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Settings
from .records import Failure
from .rules import Rules
from .tasks import Prepared, Processed, file_size, finish, first_pass, parse_chunk, safely, warm_up, warmed

if TYPE_CHECKING:
    from .nlp import PackedDocs

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Task:
    path: Path
    step: int | str  # "file", a chunk's number, or "finish"
    func: Callable[..., Any]
    args: tuple[Any, ...]


@dataclass
class _Split:
    """A prepared document whose chunks are being parsed."""

    prepared: Prepared
    parts: list[PackedDocs | None] = field(default_factory=list)


def run_in_pool(paths: list[Path], settings: Settings,
                rules: Rules) -> Iterator[tuple[Path, Processed | Failure]]:
    """Process ``paths`` on ``settings.jobs`` worker processes by the run's ``rules``; results in the
    order files finish. Each worker receives the rules once, when it starts, not with every task.

    A file whose task fails, or whose worker dies, is yielded as a :class:`Failure`.
    """
    files = deque(sorted(paths, key=file_size, reverse=True))
    urgent: deque[_Task] = deque()  # parts of documents already begun
    splits: dict[Path, _Split] = {}
    pending: dict[cf.Future, _Task] = {}
    # forked on Linux, also when this process was itself spawned (as each of `govtrace bench`'s runs
    # is, where spawn is then the default): workers inherit the parser and rules loaded here instead
    # of importing and loading them again, 1.3 s of CPU each
    context = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
    if context is not None:
        warmed(settings)  # the parser this process began loading: a fork must not copy a half-loaded one
    with cf.ProcessPoolExecutor(max_workers=settings.jobs, mp_context=context, initializer=_init_worker,
                                initargs=(os.getpid(), settings, rules)) as pool:
        while files or urgent or pending:
            while len(pending) < settings.jobs and (urgent or files):
                if urgent:
                    task = urgent.popleft()
                else:
                    path = files.popleft()
                    task = _Task(path, "file", first_pass, (path, settings))
                pending[pool.submit(_with_rules, task.func, task.path, *task.args)] = task
            done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            for future in done:
                task = pending.pop(future)
                result = _result(future, task.path)
                if isinstance(result, Prepared):
                    log.debug("%s: parsed in %d chunks", task.path, len(result.chunks))
                    splits[task.path] = _Split(result, [None] * len(result.chunks))
                    urgent.extend(_Task(task.path, k, parse_chunk, (task.path, chunk, settings))
                                  for k, chunk in enumerate(result.chunks))
                elif isinstance(task.step, int):
                    yield from _parsed(task, result, splits, urgent, settings)
                else:
                    yield task.path, result


def _parsed(task: _Task, result: Any, splits: dict[Path, _Split], urgent: deque[_Task],
            settings: Settings) -> Iterator[tuple[Path, Failure]]:
    """Keep a chunk's parses; once a document has all of them, its walk goes first in ``urgent``."""
    split = splits.get(task.path)
    if split is None:  # another chunk of the document failed
        return
    if isinstance(result, Failure):
        del splits[task.path]
        kept = [t for t in urgent if t.path != task.path]
        urgent.clear()
        urgent.extend(kept)
        yield task.path, result
        return
    assert isinstance(task.step, int)
    split.parts[task.step] = result
    if all(part is not None for part in split.parts):
        del splits[task.path]
        urgent.appendleft(_Task(task.path, "finish", finish, (split.prepared, split.parts, settings)))


def _result(future: cf.Future, path: Path) -> Any:
    try:
        return future.result()
    except Exception as exc:  # a worker died (out of memory, killed)
        return Failure(str(path), type(exc).__name__,
                       f"{path}: worker failed ({exc}). Run again with --jobs 1.")


# the run's rules in a pool worker, given once by _init_worker when the worker starts
_worker_rules: Rules | None = None


def _with_rules(task: Callable[..., Any], path: Path, *args: Any) -> Any:
    """``task(*args, rules)`` in a worker, or the Failure it raised (see :func:`~pipeline.tasks.safely`)."""
    assert _worker_rules is not None, "pool workers are started by _init_worker"
    return safely(task, path, *args, _worker_rules)


def _init_worker(parent: int, settings: Settings, rules: Rules) -> None:
    """Workers ignore Ctrl-C (the parent stops them), die with the parent even when it is killed, keep
    the run's rules, and start loading the parser while their first file is read."""
    global _worker_rules
    _worker_rules = rules
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # the kernel kills us when the parent dies
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    warm_up(settings, rules)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h
