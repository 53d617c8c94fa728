"""Markdown change reports: diff-friendly text for git and for reading."""

from __future__ import annotations

from pathlib import Path

from . import Report


def _quote(text: str | None) -> str:
    return "—" if not text else " ".join(text.split()).replace("|", "\\|")


def render(report: Report) -> str:
    lines = [f"# {report.title}", ""]
    lines.append("| " + " | ".join(report.counts) + " |")
    lines.append("|" + "---|" * len(report.counts))
    lines.append("| " + " | ".join(str(v) for v in report.counts.values()) + " |")
    for step in report.comparisons:
        lines += ["", f"## {step.series}: {Path(step.old.path).name} ({step.old.date}) → "
                      f"{Path(step.new.path).name} ({step.new.date})", ""]
        if not step.changes:
            lines.append("No material change.")
        for change in step.changes:
            flag = " **(important)**" if change.important else ""
            lines.append(f"- **{change.shift}**{flag}: {change.reason}")
            if change.old_text:
                lines.append(f"  - old (p. {change.old_page or '-'}): {_quote(change.old_text)}")
            if change.new_text:
                lines.append(f"  - new (p. {change.new_page or '-'}): {_quote(change.new_text)}")
        if step.unmentioned:
            lines += ["", f"Changes the newer version's changelog does not mention: {len(step.unmentioned)}"]
            lines += [f"- {c.shift}: {_quote(c.new_text or c.old_text)}" for c in step.unmentioned]
    if report.corroboration:
        lines += ["", "## Same metric, different sources", ""]
        for link in report.corroboration:
            verdict = "consistent" if link["consistent"] else "CONFLICT"
            lines.append(f"- {link['entity']} {link['subject']}: {link['a']['text']} ({Path(link['a']['path']).name}) vs "
                         f"{link['b']['text']} ({Path(link['b']['path']).name}) — {verdict}, "
                         f"{link['difference']:.1%} apart")
    if report.metric_series:
        lines += ["", "## Metrics over time", ""]
        for label, points in report.metric_series.items():
            lines.append(f"- {label}: " + "; ".join(f"{p['date']} {p['text']} ({p['document']})" for p in points))
    for actor, entries in report.timelines.items():
        lines += ["", f"## Timeline: {actor}", ""]
        for entry in entries:
            mark = " ← shift" if entry["shift"] else ""
            lines.append(f"- {entry['date']} [{entry['kind']}: {entry['label']}] {_quote(entry['sentence'])} "
                         f"({entry['document']}){mark}")
    return "\n".join(lines) + "\n"
