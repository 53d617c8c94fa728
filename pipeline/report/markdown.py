"""Markdown change reports: diff-friendly text for git and for reading."""

from __future__ import annotations

import re
from pathlib import Path

from . import Report, summary

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def _safe(text: object) -> str:
    """Document text made inert in Markdown: no raw HTML (``<script>``, ``<img onerror>``), no links
    or images (``[x](javascript:...)``, remote pictures), no emphasis or table breaks."""
    text = " ".join(str(text).split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN.sub(r"\\\1", text).replace("://", ":\u200b//")


def _quote(text: str | None) -> str:
    return "—" if not text else _safe(text)


def _short(text: str | None, limit: int = 140) -> str:
    text = _quote(text)
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _confidence(change) -> str:
    return f" ({change.confidence:.0%})" if change.confidence is not None else ""


def _where(change, side: str | None = None) -> str:
    side = side or ("old" if change.old_text else "new")
    section, page = getattr(change, f"{side}_section"), getattr(change, f"{side}_page")
    return ", ".join(p
                     for p in (f"§ {_safe(section)}" if section else "", f"p. {page}" if page else "")
                     if p) or "—"


def render(report: Report) -> str:
    lines = [f"# {_safe(report.title)}", ""]
    lines.append("| " + " | ".join(report.counts) + " |")
    lines.append("|" + "---|" * len(report.counts))
    lines.append("| " + " | ".join(str(v) for v in report.counts.values()) + " |")
    for step in report.comparisons:
        lines += ["", f"## {_safe(step.series)}: {_safe(Path(step.old.path).name)} ({step.old.date}) → "
                      f"{_safe(Path(step.new.path).name)} ({step.new.date})", ""]
        if not step.changes:
            lines.append("No material change.")
        headline = summary(step.changes)
        if headline:
            lines += ["### What matters most", ""]
            lines += [f"{n}. **{c.shift}**{_confidence(c)} {_where(c)}: {_short(c.old_text or c.new_text)} "
                      f"(shift {step.changes.index(c) + 1} below)" for n, c in enumerate(headline, 1)]
            lines += ["", "### All shifts", ""]
        for number, change in enumerate(step.changes, 1):
            flag = " **(important)**" if change.important else ""
            lines.append(f"{number}. **{change.shift}**{flag}{_confidence(change)}: {_safe(change.reason)}")
            if change.old_text:
                lines.append(f"   - old ({_where(change, 'old')}): {_quote(change.old_text)}")
            if change.new_text:
                lines.append(f"   - new ({_where(change, 'new')}): {_quote(change.new_text)}")
            if change.announced is not None:
                said = ("announced — " + _quote(change.changelog_entry)) if change.announced \
                    else "not announced"
                lines.append(f"   - changelog: {said}")
        if step.unmentioned:
            lines += ["", f"Changes the newer version's changelog does not mention: {len(step.unmentioned)}"]
            lines += [f"- {c.shift}: {_quote(c.new_text or c.old_text)}" for c in step.unmentioned]
    if report.corroboration:
        lines += ["", "## Same metric, different sources", ""]
        for link in report.corroboration:
            verdict = "consistent" if link.consistent else "CONFLICT"
            a, b = link.reports
            lines.append(f"- {_safe(link.entity)} {_safe(link.subject)}: {_safe(a.text)} "
                         f"({_safe(Path(a.path).name)}) vs {_safe(b.text)} "
                         f"({_safe(Path(b.path).name)}) — {verdict}, "
                         f"{link.difference:.1%} apart")
    if report.metric_series:
        lines += ["", "## Metrics over time", ""]
        for label, points in report.metric_series.items():
            lines.append(f"- {_safe(label)}: " + "; ".join(f"{p.date} {_safe(p.text)} ({_safe(p.document)})"
                                                         for p in points))
    for actor, entries in report.timelines.items():
        lines += ["", f"## Positions: {_safe(actor)}", ""]
        for entry in entries:
            lines.append(f"- {entry.date} \\[{entry.source}: {_safe(entry.kind)}\\] {_quote(entry.text)} "
                         f"({_safe(entry.document)}{f', p. {entry.page}' if entry.page else ''})")
            if entry.condition:
                lines.append(f"   - condition: {_quote(entry.condition)}")
            if entry.previous:
                lines.append(f"   - before: {_quote(entry.previous)}")
            said = "reported in" if entry.source == "revision" else "shows in"
            lines += [f"   - {said} {_safe(link)}" for link in entry.linked]
    return "\n".join(lines) + "\n"
