"""Claims, commitments and events on real-looking sentences written for these tests."""

from __future__ import annotations

import pytest


def test_quote_with_cue_and_continued_quote(run):
    text = ('"We are close to systems that improve themselves," Clark said on Monday. '
            '"Nobody outside the labs has a say yet."')
    claims = run(text, include=["claims"]).claims
    assert [(c.speaker, c.quoted, c.cue) for c in claims] == [("Jack Clark", True, "say"),
                                                              ("Jack Clark", True, None)]


def test_reported_speech_accusation_and_titles(run):
    text = "Trump adviser David Sacks has accused Anthropic of running a regulatory capture agenda."
    claim = run(text, include=["claims"]).claims[0]
    assert (claim.speaker, claim.quoted, claim.claim_type) == ("David Sacks", False, "evaluative")


def test_anaphora_the_authors_and_the_company(run):
    text = ("Researchers Marina Favaro and Jack Clark write that most code is now written by AI. "
            "The authors warn that the shift could come sooner than expected. "
            "Anthropic is valued highly. The company says it plans to convene policymakers in the coming "
            "months.")
    claims = run(text, include=["claims"]).claims
    assert [c.speaker for c in claims] == ["Marina Favaro; Jack Clark",
                                           "Marina Favaro; Jack Clark", "Anthropic"]
    assert claims[1].claim_type == "forecast" and claims[1].certainty < 1.0


def test_scare_quotes_are_not_claims(run):
    assert run('The trend points toward "recursive self-improvement" within a few years.',
               include=["claims"]).claims == ()


def test_policy_rules_under_a_lead_in(run):
    text = ("# Usage policy\n\nDon't use our services to:\n\n- Develop or use weapons.\n"
            "- Engage in military and warfare activities.\n")
    commitments = run(text, include=["commitments"], publisher="OpenAI", kind="policy").commitments
    assert [(c.actor, c.kind, c.polarity, c.strength)
            for c in commitments] == [("OpenAI", "prohibition", "negative", 3)] * 2
    assert commitments[0].text == "Develop or use weapons."


def test_modal_strength_conditions_and_deadlines(run):
    text = ("We will publish a summary within 30 days of each evaluation. We aim to evaluate models every "
            "six months. We may pause scaling if other developers agree to pause as well. "
            "We will not train models unless safeguards are adequate.")
    commitments = run(text, include=["commitments"], publisher="Anthropic", kind="policy").commitments
    assert [(c.kind, c.strength) for c in commitments] == [("pledge", 3), ("plan", 2), ("conditional", 1),
                                                           ("prohibition", 3)]
    assert commitments[0].deadline == "within 30 days of each evaluation"
    assert commitments[2].condition.startswith("if other developers agree")
    assert commitments[3].polarity == "negative" and commitments[3].condition.startswith("unless")
    assert {c.actor for c in commitments} == {"Anthropic"}


def test_addressee_is_the_actor_of_a_rule(run):
    commitments = run("Providers shall report every training run above the threshold.",
                      include=["commitments"], kind="legislation").commitments
    assert (commitments[0].actor, commitments[0].kind) == ("Providers", "pledge")


def test_dropped_pledge_event_links_and_sets_status(run):
    text = ("Anthropic has overhauled its Responsible Scaling Policy, scrapping its commitment to never "
            "train an AI system unless it could show that its safety measures were adequate.")
    extraction = run(text, include=["commitments", "events"])
    types = {e.event_type for e in extraction.events}
    assert {"overhauled", "dropped"} <= types
    dropped = [c for c in extraction.commitments if c.status == "dropped"]
    assert dropped and dropped[0].polarity == "negative" and dropped[0].condition.startswith("unless")
    assert all(e.commitment_index is not None for e in extraction.events)


def test_news_forecasts_are_not_commitments(run):
    assert run("Such progress may come sooner than governments expect.",
               include=["commitments"]).commitments == ()


def test_every_finding_has_topics(run):
    extraction = run("The lab is valued at $965 billion ahead of its initial public offering.")
    assert "finance_valuation_ipo" in extraction.metrics[0].topics


def test_an_orders_lead_in_gives_its_items_actor_and_dated_deadline(run):
    text = ("(a) Within 270 days of the date of this order, to help ensure safe systems, the Secretary of "
            "Commerce, "
            "acting through the Director of NIST, in coordination with the Secretary of Energy and the "
            "heads of other relevant agencies as the Secretary of Commerce may deem appropriate, shall:\n\n"
            "(i) Establish guidelines and best practices for evaluating models;\n\n"
            "(ii) Within 90 days of the date of this order, publish a companion resource.\n")
    commitments = run(text, include=["commitments"], kind="legislation", date="2023-10-30").commitments
    assert [(c.actor, c.deadline_date) for c in commitments] == [
        ("Department of Commerce", "2024-07-26"), ("Department of Commerce", "2024-01-28")]
    assert commitments[0].deadline == "Within 270 days of the date of this order"
    assert commitments[0].deadline_basis == "270 days after 2023-10-30, the document's date"
    assert commitments[0].text.startswith("Establish guidelines")


def test_a_laws_generic_addressee_names_the_class_stated_before(run):
    text = ("Providers of general-purpose AI models with systemic risk shall assess and mitigate systemic "
            "risks. "
            "The relevant provider shall notify the AI Office without delay. It shall keep the records for "
            "ten years.")
    commitments = run(text, include=["commitments"], kind="legislation").commitments
    assert [c.actor for c in commitments] == ["providers of general-purpose AI models with systemic risk"] * 3


def test_recommended_actions_bind_each_named_lead_at_should_strength(run):
    """A named lead is bound; an action with none falls to the government the publisher belongs to."""
    text = ("# Recommended Policy Actions\n\n"
            "- Led by the Department of Commerce (DOC) and the National Science Foundation (NSF), fund open "
            "research on model evaluations.\n"
            "- Convene agencies twice a year to share evaluation results.\n")
    commitments = run(text, include=["commitments"], kind="policy", publisher="White House").commitments
    assert [(c.actor, c.strength) for c in commitments] == [
        ("Department of Commerce", 2), ("National Science Foundation", 2), ("Federal Government", 2)]


def test_a_numbered_paragraph_with_its_own_subject_ends_the_list(run):
    text = ("Providers shall:\n\n(a) keep technical documentation up to date;\n\n"
            "5. The Commission shall adopt delegated acts to amend the annexes.\n")
    commitments = run(text, include=["commitments"], kind="legislation").commitments
    assert [c.actor for c in commitments] == ["Providers", "Commission"]


def test_an_estimate_reported_without_a_verb_of_saying_is_a_claim(run):
    text = ("Jack Clark wrote about it in May. He put the probability of a model training its own successor "
            "at 60 percent or higher by the end of 2028.")
    claims = run(text, include=["claims"]).claims
    estimate = [c for c in claims if c.cue == "put"]
    assert estimate and estimate[0].speaker == "Jack Clark" and estimate[0].claim_type == "forecast"
    assert estimate[0].text.startswith("the probability of a model")
    assert not run("They put the boxes at the door.", include=["claims"]).claims


def test_the_event_types_the_rules_produce_are_the_documented_ones(rules):
    from pipeline.records import EVENT_TYPES

    assert set(rules.events.verbs.values()) <= set(EVENT_TYPES)


def test_a_recommended_action_binds_the_bodies_it_is_carried_out_by(run):
    text = ("# Recommended Policy Actions\n\n"
            "- Invest in manufacturing technologies via DOD, DOC, DOE, NSF, and other Federal agencies.\n"
            "- Publish evaluation guidelines through NIST at DOC for Federal agencies.\n"
            "- At DOL and DOC, pilot new approaches to workforce challenges.\n")
    actors = [c.actor
              for c in run(text, include=["commitments"], kind="policy", publisher="White House").commitments]
    assert actors == ["Department of Defense", "Department of Commerce", "Department of Energy",
                      "National Science Foundation", "Department of Commerce", "Department of Labor",
                      "Department of Commerce"]


def test_only_a_party_is_an_actor(run):
    policy = ("You must not use the service to build weapons. We will review this policy every year. "
              "Such capabilities will be evaluated before every release.")
    actors = [c.actor
              for c in run(policy, include=["commitments"], publisher="Acme", kind="policy").commitments]
    assert actors[:2] == ["Users", "Acme"]
    assert "Such capabilities" not in actors and "capabilities" not in " ".join(a or "" for a in actors)
    news = ("Acme said its pledge will expire next year. "
            "The agency will publish new rules in March, the report said.")
    found = {c.actor for c in run(news, include=["commitments"], kind="news").commitments}
    assert not any(a and "pledge" in a for a in found)


def test_my_administration_is_the_government_and_party_nouns_load(settings):
    from pipeline.rules.actors import load_gazetteer

    gazetteer = load_gazetteer((settings.models_dir / "actors.json",))
    assert gazetteer.resolve("my Administration") == "Federal Government"
    assert {"agency", "provider", "board"} <= gazetteer.parties


def test_a_report_quoted_after_its_authors_are_named_speaks_for_them(run):
    text = ("The report, produced by a lab's research arm, was authored by Ada Lovelace and Alan Turing. "
            "“Scaling is not destiny for any laboratory,” the report notes.")
    claims = run(text, include=["claims"]).claims
    assert [(c.speaker, c.quoted) for c in claims] == [("Ada Lovelace; Alan Turing", True)]


@pytest.mark.parametrize("text", [
    "Anthropic states the company has not reached that point yet.",
    "Anthropic has published an account of its work, warning that its models may soon improve themselves.",
])
def test_a_misparsed_name_or_a_participle_still_reports(run, text):
    claims = run(text, include=["claims"]).claims
    assert [c.speaker for c in claims] == ["Anthropic"]
