"""The learned layer: trains on corrections, changes later predictions, survives a round trip."""

import pytest

from tickets.triage.classify import classify
from tickets.triage.learned import MIN_EXAMPLES, LearnedModel
from tickets.triage.types import TicketFacts

from .factories import document, selfie, ticket

BASE = [
    (ticket("上传失败，网络错误"), {"upload_network_failure"}),
    (ticket("upload failed, network error"), {"upload_network_failure"}),
    (ticket("上传一直超时"), {"upload_network_failure"}),
    (ticket("the upload timed out"), {"upload_network_failure"}),
    (ticket("审核中好几天了"), {"review_pending"}),
    (ticket("still pending after a week"), {"review_pending"}),
    (ticket("审核要多久"), {"review_pending"}),
    (ticket("how long does the review take"), {"review_pending"}),
    (ticket("it failed", "", document("glare")), {"document_requirements"}),
    (ticket("rejected", "", document("blurry")), {"document_requirements"}),
    (ticket("again", "", selfie("too_dark")), {"face_recognition_failed"}),
    (ticket("selfie", "", selfie("no_face")), {"face_recognition_failed"}),
]


def test_too_few_examples_is_refused():
    with pytest.raises(ValueError, match="need at least %d examples" % MIN_EXAMPLES):
        LearnedModel.train(BASE[:3])


def test_predicts_probabilities_for_trained_categories():
    model = LearnedModel.train(BASE)
    probs = model.predict(ticket("上传又失败了，网络错误"))
    assert set(probs) == {"upload_network_failure", "review_pending", "document_requirements", "face_recognition_failed"}
    assert all(0.0 <= p <= 1.0 for p in probs.values())
    assert max(probs, key=probs.get) == "upload_network_failure"


def test_defect_tokens_are_features():
    model = LearnedModel.train(BASE)
    probs = model.predict(ticket("", "", selfie("too_dark")))
    assert max(probs, key=probs.get) == "face_recognition_failed"


def test_a_correction_changes_a_later_prediction():
    # Agents keep correcting "卡在转圈" tickets to page_load_cache; the model should follow them.
    quirky = ticket("验证一直卡在转圈圈")
    before = LearnedModel.train(BASE).predict(quirky).get("page_load_cache", 0.0)
    corrections = [(ticket(t), {"page_load_cache"}) for t in ("一直卡在转圈圈", "页面转圈圈", "卡在转圈圈不动", "转圈圈很久")]
    after = LearnedModel.train(BASE + corrections).predict(quirky)["page_load_cache"]
    assert before == 0.0  # unknown before any correction
    assert after > 0.5


def test_version_is_a_hash_of_the_training_data():
    a = LearnedModel.train(BASE)
    b = LearnedModel.train(list(BASE))
    c = LearnedModel.train(BASE + [(ticket("账户被冻结"), {"account_security_risk"})])
    assert a.version == b.version != c.version
    assert len(a.version) == 12


def test_dumps_and_loads_round_trip_without_pickle():
    model = LearnedModel.train(BASE)
    data = model.dumps()
    assert isinstance(data, bytes) and b"pickle" not in data
    again = LearnedModel.loads(data)
    facts = ticket("upload keeps failing")
    assert again.version == model.version
    assert again.predict(facts) == model.predict(facts)


def test_loads_rejects_foreign_bytes():
    with pytest.raises(ValueError):
        LearnedModel.loads(b"\x80\x04not a model")


def test_classify_names_the_model_in_evidence_without_moving_the_rules_confidence():
    model = LearnedModel.train(BASE)
    facts = TicketFacts("", "上传失败，网络错误", ())
    ranked = classify(facts, model=model)
    top = ranked[0]
    assert top.code == "upload_network_failure"
    assert top.confidence == classify(facts)[0].confidence
    assert any(e.source == "model" and e.value == model.version for e in top.evidence)


def test_the_model_decides_a_ticket_the_rules_could_not_place():
    corrections = [(ticket(t), {"page_load_cache"}) for t in ("一直在原地打转转", "原地打转转", "打转转不动", "打转转很久")]
    model = LearnedModel.train(BASE + corrections)
    facts = ticket("认证一直在原地打转转")
    assert classify(facts)[0].code == "other"
    top = classify(facts, model=model)[0]
    assert top.code == "page_load_cache" and top.confidence >= 0.5
    assert str(top.evidence[-1]).startswith("learned model v%s: p=" % model.version)


def test_a_category_earns_its_gate_by_cross_validation_on_the_training_tickets():
    """Consistent corrections earn the model the right to decide alone; too few out-of-fold decisions do not."""
    consistent = [(ticket(t), {"page_load_cache"}) for t in ("一直在原地打转转", "原地打转转", "打转转不动", "打转转很久")]
    model = LearnedModel.train(BASE + consistent)
    assert model.gate("page_load_cache") is not None
    assert model.cross_validation["folds"] == 5
    assert model.cross_validation["categories"]["page_load_cache"]["precision"] >= 0.85
    too_few = LearnedModel.train(BASE + consistent[:2])
    assert too_few.gate("page_load_cache") is None
    facts = ticket("认证一直在原地打转转")
    assert classify(facts, model=too_few)[0].code == "other"  # not earned: evidence only, "other" stands


def test_a_category_whose_corrections_disagree_gets_no_gate():
    """Agents gave the same wording two different causes: out of fold the model is wrong half the time."""
    mixed = [(ticket(t), {"page_load_cache" if i % 2 else "upload_network_failure"})
             for i, t in enumerate(("原地打转转", "一直原地打转转", "打转转不动", "打转转很久",
                                    "又在打转转", "还是打转转", "打转转了", "原地打转转很久"))]
    model = LearnedModel.train(BASE + mixed)
    assert model.gate("page_load_cache") is None
    assert classify(ticket("认证一直在原地打转转"), model=model)[0].code == "other"


def test_gates_survive_the_round_trip_and_a_model_stored_before_them_keeps_deciding_from_one_half():
    import json
    import zlib

    model = LearnedModel.train(BASE)
    again = LearnedModel.loads(model.dumps())
    assert again.gates == model.gates and again.cross_validation == model.cross_validation
    payload = json.loads(zlib.decompress(model.dumps()))
    del payload["gates"], payload["cross_validation"]
    legacy = LearnedModel.loads(zlib.compress(json.dumps(payload).encode()))
    assert legacy.gates is None
    assert legacy.gate("review_pending") == 0.5 and legacy.gate("device_unsupported") is None


def test_the_model_overrules_a_topic_outside_the_guide_only_where_corrections_taught_it_to():
    """Agents keep correcting "VIP upgrade" mails (a business topic to the rules) to identity details."""
    vip = [(ticket(t), {"identity_info_error"}) for t in (
        "my VIP upgrade form bounced", "VIP upgrade form bounced back", "the VIP upgrade form was bounced",
        "VIP form bounced again", "bounced VIP upgrade form", "VIP upgrade bounced by compliance")]
    model = LearnedModel.train(BASE + vip)
    assert model.may_overrule_topic("identity_info_error")
    assert classify(ticket("my VIP upgrade form bounced back"), model=model)[0].code == "identity_info_error"
    plain = LearnedModel.train(BASE)
    assert not plain.may_overrule_topic("review_pending")
    assert classify(ticket("请问提现手续费是多少？"), model=plain)[0].code == "other"
