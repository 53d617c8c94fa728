"""Self-contained HTML change reports (Jinja2 with autoescape, charts as inline SVG).

Documents are untrusted input: every piece of their text goes through
Jinja2's escaping, the highlighted diff is built from escaped tokens, and the
page references nothing outside itself.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import io
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from ..records import MetricPoint, Position
from . import Report, summary

TEMPLATES = Path(__file__).resolve().parent / "templates"


def highlight(old: str | None, new: str | None) -> tuple[Markup, Markup]:
    """Old and new text, escaped, with removed words in <del> and added words in <ins>."""
    a, b = re.findall(r"\S+|\s+", old or ""), re.findall(r"\S+|\s+", new or "")
    left, right = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        before, after = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if tag == "equal":
            left.append(before)
            right.append(after)
            continue
        if before:
            left.append(Markup("<del>") + before + Markup("</del>"))
        if after:
            right.append(Markup("<ins>") + after + Markup("</ins>"))
    return Markup("").join(left), Markup("").join(right)


def timeline_svg(entries: list[Position]) -> Markup:
    """An actor's positions over time as an inline SVG (matplotlib, no fonts or files fetched)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import dates as mdates

    points = [(e, e.date) for e in entries if e.date]
    if not points:
        return Markup("")
    lanes = {"own": 2, "revision": 1, "reported": 0}
    colours = {True: "#c0392b", False: "#2c7fb8"}
    fig, ax = plt.subplots(figsize=(9, 2.4))
    for entry, date in points:
        when = mdates.datestr2num(_full_date(date))
        ax.scatter([when], [lanes[entry.source]], color=colours[entry.change], s=40, zorder=3)
    ax.set_yticks(list(lanes.values()), list(lanes.keys()))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.grid(axis="x", alpha=0.3)
    ax.set_ylim(-0.7, 2.7)
    ax.set_title("positions (blue) and changes of position (red) over time", fontsize=9)
    return _svg(fig)


def metrics_svg(series: dict[str, list[MetricPoint]]) -> Markup:
    """Metric values over time, one line per measured thing, as an inline SVG."""
    if not series:
        return Markup("")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import dates as mdates

    fig, ax = plt.subplots(figsize=(9, 2.8))
    for label, points in series.items():
        ax.plot([mdates.datestr2num(_full_date(p.date)) for p in points], [p.value for p in points],
                marker="o", label=label)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    values = [p.value for points in series.values() for p in points]
    spread = min(values) > 0 and max(values) / min(values) > 100
    if spread:  # a valuation in dollars beside a share in percent: only a log axis shows both
        ax.set_yscale("log")
    ax.legend(fontsize=7, loc="best")
    ax.grid(alpha=0.3)
    ax.set_title("metrics over time" + (" (log scale)" if spread else ""), fontsize=9)
    return _svg(fig)


def _svg(fig) -> Markup:
    """A matplotlib figure as inline SVG markup (text kept as text, nothing referenced outside)."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    buffer = io.StringIO()
    # no creation date and fixed element ids: the same store gives the same report, byte for byte,
    # so two reports can be diffed
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "govtrace"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    svg = buffer.getvalue()
    return Markup(svg[svg.index("<svg"):])


def _full_date(date: str) -> str:
    parts = (date.split("-") + ["01", "01"])[:3]
    return "-".join(p if p.isdigit() else "01" for p in parts)


# the report's one script: show or hide shift cards by type and topic (no network, no other code);
# the page's Content-Security-Policy admits exactly this script by its hash
FILTER_SCRIPT = """
document.querySelectorAll('.filters input, .filters select').forEach(function (control) {
  control.addEventListener('change', function () {
    var shown = new Set(Array.from(document.querySelectorAll('.filters input:checked')).map(function (b) { return b.value; }));
    var topic = document.querySelector('.filters select').value;
    document.querySelectorAll('.change').forEach(function (card) {
      var topics = (card.dataset.topics || '').split(' ');
      card.hidden = !shown.has(card.dataset.shift) || (topic !== '' && topics.indexOf(topic) < 0);
    });
  });
});
"""  # noqa: E501 (the script is copied into every report as written; wrapping it would change each report)


def render(report: Report) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    env.filters["highlight"] = highlight
    env.filters["basename"] = lambda p: Path(p or "").name
    env.filters["summary"] = summary
    env.filters["anchor"] = lambda name: re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-") or "pair"
    charts = {actor: timeline_svg(entries) for actor, entries in report.timelines.items()}
    digest = base64.b64encode(hashlib.sha256(FILTER_SCRIPT.encode("utf-8")).digest()).decode("ascii")
    shifts = sorted({c.shift for step in report.comparisons for c in step.changes})
    topics = sorted({t for step in report.comparisons for c in step.changes for t in c.topics})
    return env.get_template("report.html.j2").render(report=report, charts=charts,
                                                      metrics_chart=metrics_svg(report.metric_series),
                                                      script=Markup(FILTER_SCRIPT), script_hash=digest,
                                                      shift_types=shifts, topics=topics)
