"""Fetch watched sources: each manifest row with a ``source_url`` is downloaded (httpx) into its file.

The server is asked with the ETag of the last fetch, so an unchanged page costs
a 304. A downloaded page replaces the file only when the document's text
changed (a new banner, date or tracking script is not a new version); the raw
bytes, the fetch time and the ETag are recorded in the store's ``fetches``.
Nothing is fetched except the URLs the user listed.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx

from .config import Settings
from .errors import GovtraceError
from .ingest import read
from .ingest.metadata import manifest_rows
from .store import Store


@dataclass(frozen=True)
class Fetched:
    url: str
    path: Path
    outcome: str


def sources(folder: Path) -> list[tuple[str, Path]]:
    """(url, file) for every row of ``folder/manifest.csv`` that has a source_url, read as the ingest
    reads the manifest (any encoding it accepts; 'url', 'link' or 'source' as the source_url)."""
    if not (folder / "manifest.csv").is_file():
        raise GovtraceError(f"{folder / 'manifest.csv'}: no manifest. List the sources as rows "
                            "'file,source_url' in it.")
    return [(row["source_url"], folder / name) for name, row in manifest_rows(folder).items()
            if str(row.get("source_url", "")).startswith(("http://", "https://"))]


def fetch(folder: Path, store: Store, settings: Settings, *,
          client: httpx.Client | None = None) -> list[Fetched]:
    """Fetch every listed source, write the files whose text changed, and record each fetch."""
    own = client or httpx.Client(follow_redirects=True, timeout=30.0, headers={"User-Agent": "govtrace"})
    results = []
    try:
        for url, path in sources(folder):
            results.append(_fetch_one(own, url, path, store, settings))
    finally:
        if client is None:
            own.close()
    return results


def _fetch_one(client: httpx.Client, url: str, path: Path, store: Store, settings: Settings) -> Fetched:
    last = next(store.rows("SELECT etag FROM fetches WHERE url = ? AND etag IS NOT NULL ORDER BY id DESC "
                           "LIMIT 1",
                           (url,)), None)
    headers = {"If-None-Match": last["etag"]} if last and path.exists() else {}
    try:
        response = client.get(url, headers=headers)
    except httpx.HTTPError as exc:
        return _record(store, url, path, None, None, None, f"failed: {exc.__class__.__name__}")
    if response.status_code == 304:
        return _record(store, url, path, 304, last["etag"] if last else None, None, "not modified")
    if response.status_code != 200:
        return _record(store, url, path, response.status_code, None, None,
                       f"failed: HTTP {response.status_code}")
    data = response.content
    if len(data) > settings.max_file_size:
        return _record(store, url, path, 200, None, None, "failed: larger than max_file_size")
    digest = hashlib.sha256(data).hexdigest()
    etag = response.headers.get("ETag")
    if path.exists() and _text(path, path.read_bytes(), settings) == _text(path, data, settings):
        return _record(store, url, path, 200, etag, digest, "unchanged")
    path.write_bytes(data)
    return _record(store, url, path, 200, etag, digest, "new version")


def _text(path: Path, data: bytes, settings: Settings) -> str | None:
    """The document's text as the ingest would read it from these bytes (None when it cannot)."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        copy.write_bytes(data)
        try:
            return read(copy, settings).document.text
        except GovtraceError:
            return None


def _record(store: Store, url: str, path: Path, status: int | None, etag: str | None, digest: str | None,
            outcome: str) -> Fetched:
    with store.transaction():
        store.conn.execute("INSERT INTO fetches (url, path, status, etag, sha256, outcome) VALUES (?, ?, ?, "
                           "?, ?, ?)",
                           (url, str(path), status, etag, digest, outcome))
    return Fetched(url, path, outcome)
