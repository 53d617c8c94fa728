"""Fetching watched sources from a local HTTP server: ETags, new versions only when the text changed."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from pipeline.cli import main

PAGE = ("<html><body><nav>Home | About</nav><article><h1>Acme usage policy</h1><p>{rule}</p>"
        "<p>We review this policy every year and publish what changed.</p></article>"
        "<footer>Served at {stamp}</footer></body></html>")


class Site:
    """What the local server serves; the test changes it between fetches."""

    def __init__(self) -> None:
        self.rule, self.stamp, self.requests = "Do not use our models to build weapons.", "09:00", []

    def body(self) -> bytes:
        return PAGE.format(rule=self.rule, stamp=self.stamp).encode("utf-8")


@pytest.fixture()
def site():
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            body = state.body()
            etag = '"' + hashlib.sha1(body).hexdigest()[:12] + '"'
            state.requests.append(self.headers.get("If-None-Match"))
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", etag)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/policy"
    yield state
    server.shutdown()


def test_fetch_keeps_a_version_only_when_the_text_changes(tmp_path, site):
    folder = tmp_path / "watched"
    folder.mkdir()
    manifest = f"file,source_url,publisher\nacme-usage-policy.html,{site.url},Acme\n"
    (folder / "manifest.csv").write_text(manifest, encoding="utf-8")
    db = tmp_path / "gt.db"

    def run():
        result = CliRunner().invoke(main, ["fetch", str(folder), "--db", str(db)])
        assert result.exit_code == 0, result.output
        return result.output

    assert "new version" in run() and (folder / "acme-usage-policy.html").is_file()
    assert "not modified" in run() and site.requests[-1] is not None  # asked with the ETag, got a 304
    site.stamp = "10:00"  # only the footer changes: the same document
    assert "unchanged" in run()
    site.rule = "Do not use our models to build weapons or to surveil people."
    assert "new version" in run()
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    outcomes = [r[0] for r in conn.execute("SELECT outcome FROM fetches ORDER BY id")]
    assert outcomes == ["new version", "not modified", "unchanged", "new version"]
    assert all(conn.execute("SELECT fetched_at IS NOT NULL AND (etag IS NOT NULL OR outcome = 'not "
                            "modified') FROM fetches").fetchall())
