"""Change reports: what moved, when, and from which sentences, as Markdown, JSON or HTML.

:func:`build_report` gathers comparisons of every version series, metric
corroboration across sources and actor timelines; the renderers in this
package turn that into text. All document text is escaped in HTML.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..compare import compare_documents, compare_series, corroborate, find_series, timeline, unannounced
from ..compare.align import normalise
from ..config import Settings
from ..records import (
    SHIFT_TYPES,
    Change,
    Comparison,
    Corroboration,
    Document,
    Metric,
    MetricPoint,
    Position,
    StoredFinding,
)
from ..rules import rules_for
from ..rules.actors import Gazetteer, gazetteer_for
from ..store import Store


@dataclass
class Report:
    """Everything a change report shows."""

    title: str
    comparisons: list[Comparison] = field(default_factory=list)
    corroboration: list[Corroboration] = field(default_factory=list)
    timelines: dict[str, list[Position]] = field(default_factory=dict)
    metric_series: dict[str, list[MetricPoint]] = field(default_factory=dict)
    filters: dict[str, str | None] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(c.shift for step in self.comparisons for c in step.changes)
        return {shift: counted.get(shift, 0) for shift in SHIFT_TYPES}

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title, "filters": self.filters, "counts": self.counts,
            "comparisons": [step.to_dict() for step in self.comparisons],
            "corroboration": [link.to_dict() for link in self.corroboration],
            "timelines": {actor: [p.to_dict() for p in entries] for actor, entries in self.timelines.items()},
            "metric_series": {label: [p.to_dict() for p in points]
                              for label, points in self.metric_series.items()},
        }


def build_report(store: Store, *, actor: str | None = None, topic: str | None = None,
                 since: str | None = None,
                 series: str | None = None, settings: Settings | None = None) -> Report:
    """Gather series comparisons (filtered by actor/topic/date), corroboration and timelines."""
    names = [series] if series else list(find_series(store))
    rules = rules_for(settings or Settings())  # read once for every series and timeline
    comparisons = []
    for name in names:
        for step in compare_series(store, name, settings=settings, rules=rules):
            if since and (step.new.date or "") < since:
                continue
            if actor and actor.lower() not in (step.new.publisher or "").lower():
                continue
            changes = tuple(c for c in step.changes if topic is None or topic in c.topics)
            comparisons.append(Comparison(step.series, step.old, step.new, changes, step.unmentioned))
    actors = [actor] if actor else store.actors(limit=3)
    timelines = {name: timeline(store, name, topic=topic, since=since, gazetteer=rules.actors)
                 for name in actors}
    title = "Change report" + (f": {actor}" if actor else "") + (f" on {topic}" if topic else "")
    return Report(title=title, comparisons=comparisons, corroboration=corroborate(store),
                  timelines={k: v for k, v in timelines.items() if v},
                  metric_series=metric_series(store, actors, gazetteer=rules.actors),
                  filters={"actor": actor, "topic": topic, "since": since, "series": series})


def metric_series(store: Store, actors: list[str], *, min_points: int = 2,
                  gazetteer: Gazetteer | None = None) -> dict[str, list[MetricPoint]]:
    """Dated values of the same metric (entity, unit, head of the subject) across documents; actor
    names resolve through ``gazetteer`` (the shipped one when not given)."""
    groups: dict[str, list[MetricPoint]] = {}
    gazetteer = gazetteer or gazetteer_for(Settings())
    for actor in actors:
        canonical = gazetteer.canonical(actor)
        for stored in _in_date_order(store.findings(Metric, actor=canonical, aliases=(actor,))):
            metric = stored.finding
            when = metric.time if metric.time is not None else stored.document.date
            if when is None or metric.unit == "duration":
                continue
            head = " ".join(normalise(metric.subject or "").split()[:3]) or metric.unit
            label = f"{metric.entity} · {head} ({metric.unit})"
            groups.setdefault(label, []).append(MetricPoint(date=when, value=metric.value, text=metric.text,
                                                            document=Path(stored.document.path).name))
    return {k: sorted(v, key=lambda p: p.date) for k, v in groups.items() if len(v) >= min_points}


def _in_date_order(found: list[StoredFinding[Metric]]) -> list[StoredFinding[Metric]]:
    """By document date (undated first), then document, then place in the text."""
    return sorted(found, key=lambda s: (s.document.date is not None, s.document.date or "",
                                             s.document.id or 0, s.finding.evidence.start))


def compare_pair(store: Store, old: Document, new: Document, **options: Any) -> Report:
    """A report of one two-document comparison (options as for :func:`compare_documents`)."""
    changes = tuple(compare_documents(store, old, new, **options))
    step = Comparison("(pair)", old, new, changes, unannounced(changes))
    return Report(title=f"Changes: {Path(old.path).name} → {Path(new.path).name}", comparisons=[step])


def summary(changes: tuple[Change, ...] | list[Change], *, limit: int = 10) -> list[Change]:
    """The few shifts a reader should see first: removed and weakened commitments, most certain first
    (the comparator ranks them), then other material shifts if room is left; never a rewording."""
    ranked = [c for c in changes if c.shift != "reworded" and c.item_type == "commitment"]
    return ranked[:limit] if len(ranked) > 3 else []


def render(report: Report, fmt: str) -> str:
    """Render as 'md', 'json' or 'html'."""
    from . import html, markdown

    if fmt == "json":
        import json

        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str)
    if fmt == "html":
        return html.render(report)
    return markdown.render(report)
