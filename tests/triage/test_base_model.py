"""The shipped base model: a second opinion only where the rules read nothing, only in categories it earned,
after the agents' own model, and named in the evidence."""

import json
from pathlib import Path

import pytest
from django.utils import translation

from tickets.evidence import evidence_for_display
from tickets.triage import base_model
from tickets.triage import evidence as ev
from tickets.triage.classify import classify
from tickets.triage.evalset import load_ticketset, simulate_facts
from tickets.triage.learned import AGENTS, BASE, LearnedModel, _version

from .factories import ticket
from .test_learned import BASE as EXAMPLES

SET = Path(__file__).resolve().parents[2] / "evalsets" / "triage"
SPINNING = [(ticket(t), {"page_load_cache"}) for t in ("一直在原地打转转", "原地打转转", "打转转不动", "打转转很久")]
UNKNOWN = ticket("认证一直在原地打转转")  # wording no rule knows


def _base(examples):
    return base_model.fit_base_model(examples, fitted_on="test examples")


def test_the_shipped_file_loads_once_and_says_it_was_fitted_on_the_whole_tune_part():
    """Provenance: the stored version is the hash of the current tune part's tickets, so a tune part that grew
    without a refit fails here (refit: evaluate_triage --fit-base-model)."""
    base_model.reset()
    model = base_model.default_base_model()
    assert model is base_model.default_base_model()  # read once per process
    assert model.origin == BASE and model.gates
    head = json.loads(base_model.BASE_MODEL_FILE.read_text(encoding="utf-8"))
    assert head["origin"] == "base" and "tune part" in head["fitted_on"] and "frozen" not in head["fitted_on"]
    tune = load_ticketset(SET, "tune")
    assert model.n_examples == len(tune) and "(%d tickets)" % len(tune) in model.fitted_on
    assert model.version == _version([(simulate_facts(i), set(i["labels"])) for i in tune])


def test_the_file_round_trips_and_a_missing_file_means_rules_alone(tmp_path):
    model = _base(EXAMPLES + SPINNING)
    path = tmp_path / "base_model.json"
    path.write_text(base_model.dumps(model), encoding="utf-8")
    again = base_model.load(path)
    assert again.origin == BASE and again.fitted_on == "test examples" and again.gates == model.gates
    assert again.predict(UNKNOWN) == pytest.approx(model.predict(UNKNOWN), abs=1e-3)
    assert base_model.load(tmp_path / "missing.json") is None


def test_it_decides_a_ticket_in_wording_no_rule_knows_and_says_so():
    model = _base(EXAMPLES + SPINNING)
    assert model.gate("page_load_cache") is not None
    assert classify(UNKNOWN, base=None)[0].code == "other"
    top = classify(UNKNOWN, base=model)[0]
    assert top.code == "page_load_cache" and top.confidence >= 0.5
    decided = top.evidence[-1]
    assert decided.source == ev.BASE_MODEL and ev.decided_by_model(decided)
    assert str(decided).startswith("base model v%s: p=" % model.version)
    assert "decided where the rules found no cause (gate" in str(decided)


def test_it_does_not_decide_where_a_rule_phrase_occurs_even_as_a_hint_or_a_question():
    waiting = [(ticket(t), {"review_pending"}) for t in ("审核", "审核好久", "还在审核", "审核中", "一直审核")]
    model = _base(EXAMPLES + waiting)
    assert model.predict(ticket("审核"))["review_pending"] > 0.5
    assert classify(ticket("审核"), base=model)[0].code == "other"  # a hint the rules weighed
    assert classify(ticket("如果以后一直显示审核中，一般怎么处理？"), base=model)[0].code == "other"  # a question


def test_it_decides_only_in_categories_its_cross_validation_gated():
    model = _base(EXAMPLES + SPINNING[:2])
    assert model.gate("page_load_cache") is None
    ranked = classify(UNKNOWN, base=model)
    assert ranked[0].code == "other"


def test_where_the_rules_found_a_cause_it_is_evidence_and_never_moves_the_confidence():
    model = _base(EXAMPLES)
    facts = ticket("上传失败，网络错误")
    top = classify(facts, base=model)[0]
    assert top.code == "upload_network_failure"
    assert top.confidence == classify(facts, base=None)[0].confidence
    record = next(e for e in top.evidence if e.source == ev.BASE_MODEL)
    assert not ev.decided_by_model(record)


def test_the_agents_model_comes_first_and_the_base_model_is_the_fallback():
    base = _base(EXAMPLES + SPINNING)
    taught = [(ticket(t), {"upload_network_failure"}) for t in ("一直在原地打转转", "原地打转转", "打转转不动",
                                                                "打转转很久", "又在打转转")]
    agents = LearnedModel.train(EXAMPLES + taught)
    assert agents.origin == AGENTS and agents.gate("upload_network_failure") is not None
    top = classify(UNKNOWN, model=agents, base=base)[0]
    assert top.code == "upload_network_failure"
    assert top.evidence[-1].source == ev.MODEL and ev.decided_by_model(top.evidence[-1])
    ungated = LearnedModel.train(EXAMPLES)  # the agents' model has no opinion it earned on this wording
    assert classify(UNKNOWN, model=ungated, base=base)[0].code == "page_load_cache"


def test_the_admin_names_the_model_that_decided_in_the_agents_language():
    record = ev.to_record(ev.learned("abc123", 0.86, gate=0.5, base=True))
    assert ev.english(record) == "base model vabc123: p=0.86, decided where the rules found no cause (gate 0.50)"
    with translation.override("zh-hans"):
        text = evidence_for_display(record)
        assert "基础模型" in text and "由该模型判定" in text and "abc123" in text
    with translation.override("en"):
        assert "shipped base model" in evidence_for_display(ev.to_record(ev.learned("abc123", 0.4, base=True)))
        agents = evidence_for_display(ev.to_record(ev.learned("v-1", 0.9, gate=0.6)))
        assert "agents' corrections" in agents and "decided by this model" in agents
