"""Reading one rule file under ``models/``: each key is checked for its type as it is read, and a
wrong or missing key is refused with a message that names the file, the key and the fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import ConfigError


class RuleFile:
    """One JSON rule file, read once; keys starting with ``_`` are comments."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ConfigError(f"{self.path}: cannot read this rule file ({exc}). Restore it from the "
                              "repository (git checkout -- models/).") from exc
        if not isinstance(data, dict):
            raise ConfigError(f"{self.path}: a rule file holds one JSON object, not {type(data).__name__}.")
        self.data: dict[str, Any] = data

    def _refuse(self, key: str, what: str) -> ConfigError:
        return ConfigError(f"{self.path}: key '{key}' must be {what}. Fix it, or restore the file from the "
                           "repository (git checkout -- models/).")

    def _value(self, key: str, default: Any) -> Any:
        if key in self.data:
            return self.data[key]
        if default is None:
            raise self._refuse(key, "present")
        return default

    def words(self, key: str, *, default: list[str] | None = None) -> tuple[str, ...]:
        """A list of strings, in file order."""
        value = self._value(key, default)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._refuse(key, "a list of strings")
        return tuple(value)

    def numbers(self, key: str, *, default: dict[str, float] | None = None) -> dict[str, float]:
        """A mapping of strings to numbers."""
        value = self._value(key, default)
        if not isinstance(value, dict) or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in value.values()):
            raise self._refuse(key, "an object mapping words to numbers")
        return dict(value)

    def names(self, key: str, *, default: dict[str, str] | None = None) -> dict[str, str]:
        """A mapping of strings to strings."""
        value = self._value(key, default)
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self._refuse(key, "an object mapping words to names")
        return dict(value)

    def pairs(self, key: str) -> tuple[tuple[str, str], ...]:
        """A list of [word, label] pairs, in file order."""
        value = self._value(key, None)
        if not isinstance(value, list) or not all(
                isinstance(p, list) and len(p) == 2 and all(isinstance(v, str) for v in p) for p in value):
            raise self._refuse(key, 'a list of ["phrase", "label"] pairs')
        return tuple((p[0], p[1]) for p in value)

    def groups(self, key: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """A list of [label, [word, ...]] pairs, in file order."""
        value = self._value(key, None)
        if not isinstance(value, list) or not all(
                isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) and isinstance(p[1], list)
                and all(isinstance(w, str) for w in p[1]) for p in value):
            raise self._refuse(key, 'a list of ["label", ["word", ...]] pairs')
        return tuple((p[0], tuple(p[1])) for p in value)

    def table(self, key: str) -> dict[str, dict[str, Any]]:
        """An object of objects (a named group of settings each)."""
        value = self._value(key, None)
        if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
            raise self._refuse(key, "an object of objects")
        return dict(value)

    def refuse(self, key: str, what: str) -> ConfigError:
        """The error for a key whose value is wrong in a way only its section can tell."""
        return self._refuse(key, what)
