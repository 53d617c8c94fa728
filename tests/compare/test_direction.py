"""The learned direction model: features in words, a JSON model that round-trips, clear errors."""

from __future__ import annotations

import json
import shutil

import pytest

from pipeline.compare.direction import ReportRate, ShiftModel, fit, fit_head, load_model
from pipeline.compare.features import describe, numbers, pair_features, weaker
from pipeline.errors import ConfigError
from pipeline.rules import load_rules


@pytest.fixture(scope="module")
def groups(rules):
    return rules.compare.cue_groups


def test_modal_drift_shows_in_the_inserted_and_deleted_words(groups):
    values = pair_features("We will publish the results of every evaluation.",
                           "We may publish the results of some evaluations where feasible.", groups,
                           similarity=0.8)
    assert values["out:binding"] > 0 and values["in:permissive"] > 0 and values["in:discretion"] > 0
    assert values["out:universal"] > 0 and values["in:restrictive"] > 0
    assert values["in:binding"] == 0 and values["out:permissive"] == 0


def test_section_numbers_are_not_figures():
    assert numbers("4.2.4 We will report within 30 days.") == ["30"]
    assert numbers("(iii) Thresholds are reviewed every 6 months and at 10^26 operations.") == ["6", "10",
                                                                                                "26"]


def test_footnote_markers_and_cross_references_are_not_figures():
    assert numbers("Reviewed every 6 months, as Section 2.1.2 and Table 3 describe.12") == ["6"]
    assert numbers("Models above 10^26 operations (see Appendix B.4) are tested within 30 days.") == [
        "10", "26", "30"]
    assert numbers("Providers under Article 55(1) and § 4 report within 15 days.") == ["15"]


def test_features_are_described_in_words(groups):
    assert describe("out:binding", 0.7, groups).startswith("deletes binding language")
    assert describe("in:discretion", 0.7, groups).startswith("inserts discretion")
    assert describe("context:matched", 1.0, groups) == "the rest of its paragraph is kept"
    assert describe("lost:numbers", 0.7, groups).startswith("figures dropped")


def _rows():
    weakened = [({"out:binding": 1.0 + i / 10, "in:permissive": 1.0}, "W") for i in range(6)]
    strengthened = [({"in:binding": 1.0 + i / 10, "out:permissive": 1.0}, "S") for i in range(6)]
    retained = [({"similarity": 0.9 + i / 100}, "R") for i in range(6)]
    return weakened + strengthened + retained


def test_model_round_trips_through_json_and_explains_itself(tmp_path, groups):
    rows = _rows()
    model = fit({"pair": rows, "removed": [({"length": 1.0}, "none")] * 3 + [({"length": 3.0}, "X")] * 3,
                 "added": [({"length": 1.0}, "none")] * 3 + [({"length": 3.0}, "A")] * 3},
                trained_on=("T-1",))
    path = tmp_path / "model.json"
    model.save(path)
    assert json.loads(path.read_text())["format"] == "govtrace-shift-model/1"
    loaded = load_model(path)
    label, probability, reason = loaded.judge("pair", {"out:binding": 1.5, "in:permissive": 1.0}, groups)
    assert label == "W" and probability > 0.6 and "binding language" in reason
    assert loaded.judge("pair", {"in:binding": 1.5, "out:permissive": 1.0}, groups)[0] == "S"
    assert loaded.trained_on == ("T-1",)


def test_rare_features_are_left_out():
    head = fit_head(_rows() + [({"has:rare": 1.0}, "W")], min_rows=3)
    assert "has:rare" not in head.features and "out:binding" in head.features


@pytest.mark.parametrize("content", ["not json", json.dumps({"heads": {"pair": {}}}), json.dumps({"x": 1})])
def test_a_broken_model_file_names_the_file_and_the_fix(tmp_path, content):
    path = tmp_path / "shift_model.json"
    path.write_text(content)
    with pytest.raises(ConfigError, match="shift_model.json.*train-shifts"):
        load_model(path)


def test_the_shipped_model_loads(settings):
    model = load_model(settings.models_dir / "shift_model.json")
    assert set(model.heads) >= {"pair", "removed", "added", "commitment"}
    assert len(model.trained_on) >= 2


def test_the_report_rate_round_trips_and_caps_the_shifts_reported(tmp_path):
    model = fit({"pair": _rows(), "removed": [({"length": 1.0}, "none")] * 3 + [({"length": 3.0}, "X")] * 3,
                 "added": [({"length": 1.0}, "none")] * 3 + [({"length": 3.0}, "A")] * 3})
    model = ShiftModel(model.heads, ("T-1",), ReportRate(per_commitment=0.5, min_commitment=0.7))
    path = tmp_path / "model.json"
    model.save(path)
    loaded = load_model(path)
    assert loaded.report == ReportRate(0.5, 0.7)
    # four pieces read as commitments (score >= 0.7): half of them are reported
    assert loaded.report.count([0.9, 0.8, 0.75, 0.7, 0.6, 0.1]) == 2


@pytest.mark.parametrize("old, new, sign", [
    ("We will publish the results of every evaluation.",
     "We may publish the results of some evaluations.", 1),
    ("We aim to review the framework where feasible.", "We will review the framework every 12 months.", -1),
    ("Access is restricted within 30 days of a finding.", "Access may be restricted after a finding.", 1),
    # "information" is not a promise to inform: a narrowed prohibition leans neither way by its words
    ("Engage in lobbying.", "Engage in lobbying that relies on misleading information.", 0),
])
def test_the_wording_leans_weaker_or_stronger(groups, old, new, sign):
    lean = weaker(old, new, groups)
    assert (lean > 0) - (lean < 0) == sign


def test_the_direction_head_follows_the_lean_it_was_taught():
    rows = [({"weaker:passage": 1.0 + i / 10, "weaker:paragraph": 0.5}, "W") for i in range(6)]
    rows += [({"weaker:passage": -1.0 - i / 10, "weaker:paragraph": -0.5}, "S") for i in range(6)]
    rows += [({"weaker:passage": 0.0, "similarity": 0.9 + i / 100}, "R") for i in range(6)]
    model = fit({"pair": rows})
    assert model.direction({"weaker:passage": 0.7}) == "W"
    assert model.direction({"weaker:paragraph": -1.2}) == "S"
    assert "weaker:passage" not in model.heads["pair"].features  # the pair head judges materiality only


def test_a_group_that_leans_nowhere_known_names_the_file(tmp_path, settings):
    shutil.copytree(settings.models_dir, tmp_path / "models")
    path = tmp_path / "models" / "shift_cues.json"
    data = json.loads(path.read_text())
    data["groups"]["binding"]["leans"] = "sideways"
    path.write_text(json.dumps(data))
    with pytest.raises(ConfigError, match=r"shift_cues.json: key 'groups.binding.leans' must be 'weaker'"):
        load_rules(tmp_path / "models")
