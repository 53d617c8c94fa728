"""Ingest's rules (``models/document_kinds.json``): the file-name words that set a document's kind
and the file-name prefixes that name its publisher, when no sidecar or manifest says."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .schema import RuleFile


@dataclass(frozen=True)
class DocumentKindRules:
    kinds: tuple[tuple[str, frozenset[str]], ...]  # (kind, words), the first kind whose words match wins
    publishers: tuple[tuple[str, str], ...]  # (file-name prefix, publisher), the first match wins

    @classmethod
    def read(cls, path: Path) -> DocumentKindRules:
        """Read and check ``document_kinds.json``.

        Raises:
            ConfigError: A key is missing or of the wrong type.
        """
        file = RuleFile(path)
        return cls(kinds=tuple((kind, frozenset(words)) for kind, words in file.groups("kinds")),
                   publishers=file.pairs("publishers"))
