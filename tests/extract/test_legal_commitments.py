"""Obligations in laws and government plans, on sentences written for these tests."""

from __future__ import annotations


def _found(run, text, **kwargs):
    return [(c.actor, c.strength) for c in run(text, include=["commitments"], **kwargs).commitments]


def test_a_page_number_read_as_a_heading_does_not_end_a_list_of_actions(run):
    text = ("# Recommended Policy Actions\n\n- Fund regional testing centres for robotics.\n\n# 14\n\n"
            "- Build a shared registry of public datasets.\n")
    assert _found(run, text, kind="policy", publisher="White House") == [("Federal Government", 2)] * 2


def test_forecasts_and_national_rhetoric_in_a_government_plan_bind_no_one(run):
    text = ("Machine learning will transform every factory floor. These tools must be reliable. "
            "America must win the race for chips. We must stay ahead. "
            "We should expand training for grid technicians. "
            "The Trump Administration will publish a grid plan. "
            "The Federal government should fund new reactors.")
    found = run(text, include=["commitments"], kind="policy", publisher="The White House").commitments
    assert [(c.text.split()[0], c.actor, c.strength) for c in found] == [
        ("We", "Federal Government", 2), ("The", "Federal Government", 3), ("The", "Federal Government", 2)]


def test_a_nation_in_a_list_of_actions_is_its_government(run):
    text = ("# Recommended Policy Actions\n\n"
            "The United States must keep older power plants open during peak demand.\n")
    assert _found(run, text, kind="policy", publisher="White House") == [("Federal Government", 3)]


def test_a_document_the_party_drafts_binds_the_party_last_bound(run):
    text = ("Signatories will write a safety framework for each model. "
            "The Framework will contain a description of the risk tiers. "
            "Such estimates will be supported by reasons.")
    found = _found(run, text, kind="policy", publisher="European Commission AI Office")
    assert found == [("Signatories", 3)] * 3


def test_every_body_in_a_lead_list_is_bound_and_partners_are_not(run):
    text = ("# Recommended Policy Actions\n\n"
            "- Led by the Department of Labor (DOL), the Department of Education (ED), and NSF, "
            "fund summer courses.\n"
            "- Build shared laboratories via collaboration between DOE, NIST at DOC, and NSF.\n"
            "- Hire more engineers at Federal agencies, including NIST within DOC and DOE.\n"
            "- Set up an incident centre, led by DOE, in collaboration with NIST at DOC.\n"
            "- Led by t he Department of Defense (DOD) in coordination with NSF, "
            "update the readiness reviews.\n")
    assert [a for a, _ in _found(run, text, kind="policy", publisher="White House")] == [
        "Department of Labor", "Department of Education", "National Science Foundation", "Federal Government",
        "Federal Government", "Department of Energy", "Department of Defense"]


def test_these_agencies_are_the_ones_just_named(run):
    text = ("# Recommended Policy Actions\n\n"
            "- Led by DOL and DOC, measure how automation changes hiring.\n\n"
            "These agencies could then publish yearly findings.\n")
    assert _found(run, text, kind="policy", publisher="White House")[-2:] == [
        ("Department of Labor", 1), ("Department of Commerce", 1)]


def test_a_modal_the_parser_takes_for_the_subject_still_binds_the_official(run):
    text = ("Within 90 days of the date of this order, the Secretary of Labor shall, in consultation "
            "with the Secretary of Energy, create a training program for technicians.")
    found = run(text, include=["commitments"], kind="legislation", publisher="The White House",
                date="2025-01-10").commitments
    assert [(c.actor, c.strength, c.deadline_date) for c in found] == [
        ("Department of Labor", 3, "2025-04-10")]


def test_a_government_and_its_bodies(settings):
    from pipeline.extract.actors import load_gazetteer

    gazetteer = load_gazetteer((settings.models_dir / "actors.json",))
    assert gazetteer.government_of("The White House") == "Federal Government"
    assert gazetteer.government_of("Anthropic") is None
    assert gazetteer.resolve("the Trump Administration") == "Federal Government"
