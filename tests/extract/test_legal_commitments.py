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
    from pipeline.rules.actors import load_gazetteer

    gazetteer = load_gazetteer((settings.models_dir / "actors.json",))
    assert gazetteer.government_of("The White House") == "Federal Government"
    assert gazetteer.government_of("Anthropic") is None
    assert gazetteer.resolve("the Trump Administration") == "Federal Government"


_LAW = """# Article 7 Procedure

1. Where a household robot reaches the speed limit set in Article 6, the relevant importer shall inform \
the Agency within one week.

If the Agency learns of a household robot with safety defects that was not reported, it may order a recall.

# Article 8 Duties of importers of household robots with safety defects

1. Importers of household robots with safety defects shall keep a register of complaints.

# Article 9 Authorised representatives of importers of household robots

1. The importer shall enable its authorised representative to answer questions from the Agency.

2. The authorised representative shall keep the register available to the Agency.

3. Importers based outside the Union shall, by written agreement, name an authorised representative.
"""


def test_a_law_names_its_addressees_by_class_role_and_antecedent(run):
    found = _found(run, _LAW, kind="legislation", publisher="European Commission")
    assert [actor for actor, _ in found] == [
        # no class in its article: the class the law states for the thing the sentence is about
        "importers of household robots",
        # "it" after a named party in the same sentence is that party, not the one the text last bound
        "Agency",
        "importers of household robots with safety defects",
        # the heading "Authorised representatives of importers of X" names the importers' class; a
        # representative is a party by its own role (not a class noun in models/actors.json)
        "importers of household robots", "authorised representative",
        # a subject the parser hangs on the modal
        "importers of household robots"]


def test_an_item_that_opens_its_own_list_binds_its_own_actor(run):
    text = ("Sec. 5. Supporting Rural Clinics.\n\n"
            "(a) To widen access to telehealth, the Secretary of Agriculture shall, in carrying out the "
            "broadband programs, expand service by:\n\n"
            "(i) mapping clinics that lack a fibre connection;\n\n"
            "(ii) funding satellite links where no cable can reach.\n\n"
            "(b) To help small clinics adopt remote care, the Administrator of the Small Business "
            "Administration shall:\n\n"
            "(i) prioritize loans for clinics that buy diagnostic equipment;\n\n"
            "(ii) publish a guide to remote billing.\n\n"
            "(c) Within 60 days of the date of this order, the Secretary of Labor shall, in consultation "
            "with the Secretary of Education, establish a training program that:\n\n"
            "(i) certifies telehealth assistants; and\n\n"
            "(ii) reports yearly on placements.\n")
    found = run(text, include=["commitments"], kind="legislation", publisher="The White House",
                date="2024-01-10").commitments
    assert [(c.actor, c.deadline_date) for c in found] == [
        ("Department of Agriculture", None), ("Department of Agriculture", None),
        ("Administrator of the Small Business Administration", None),
        ("Administrator of the Small Business Administration", None),
        ("Department of Labor", "2024-03-10"), ("Department of Labor", "2024-03-10"),
        ("Department of Labor", "2024-03-10")]


def test_later_sentences_of_a_recommended_action_bind_its_party(run):
    text = ("# Recommended Policy Actions\n\n"
            "- Led by the Department of Energy (DOE), fund pilot microgrids at rural hospitals. "
            "Issue model contracts that hospitals can adopt for shared storage.\n"
            "- Expand apprenticeships for line workers. Reform the grant formula so that small utilities can "
            "apply. Where possible, reuse the forms other agencies already accept.\n\n"
            "• Upgrade the substations that serve the largest hospitals.\n")
    found = run(text, include=["commitments"], kind="policy", publisher="White House").commitments
    assert [(c.text.split()[0], c.actor, c.strength) for c in found] == [
        ("-", "Department of Energy", 2), ("Issue", "Department of Energy", 2),
        ("-", "Federal Government", 2), ("Reform", "Federal Government", 2),
        ("Where", "Federal Government", 2),
        ("•", "Federal Government", 2)]


def test_a_duty_stated_as_a_requirement_or_a_responsibility_binds_the_government(run):
    text = ("Achieving this goal requires the Federal government to plan for storms a decade ahead. "
            "The Federal government has a responsibility to protect hospitals from blackouts. "
            "Meeting demand will require utilities to build faster.")
    assert _found(run, text, kind="policy", publisher="White House") == [("Federal Government", 3)] * 2
