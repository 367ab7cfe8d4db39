"""classify(): rules (+ learned model) into ranked categories, with "other" only as a last resort."""

from tickets.triage.classify import classify

from .factories import document, screenshot, ticket


def test_other_only_when_nothing_else_reaches_the_threshold():
    ranked = classify(ticket("请问提现手续费是多少？"))
    assert ranked[0].code == "other"
    assert 0.5 <= ranked[0].confidence <= 0.8
    assert ranked[0].evidence


def test_no_other_when_a_cause_is_found():
    ranked = classify(ticket("人脸识别一直不过"))
    assert ranked[0].code == "face_recognition_failed"
    assert "other" not in [s.code for s in ranked]


def test_weak_suggestions_are_kept_below_the_auto_apply_threshold():
    # "审核" alone is a hint (a review is mentioned), not a sure cause.
    ranked = classify(ticket("审核"))
    assert ranked[0].code == "other"
    suggestion = next(s for s in ranked if s.code == "review_pending")
    assert 0.3 <= suggestion.confidence < 0.5


def test_most_confident_first_and_within_bounds():
    ranked = classify(ticket("help", "", screenshot("Your account is temporarily restricted."), document("glare")))
    confidences = [s.confidence for s in ranked]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0.0 <= c <= 1.0 for c in confidences)
    assert ranked[0].code == "account_security_risk"


def test_a_browser_question_is_not_a_page_problem():
    assert classify(ticket("Which browser should I use for KYC?"))[0].code == "other"


def test_min_confidence_moves_the_other_cutoff():
    facts = ticket("审核")
    assert classify(facts, min_confidence=0.3)[0].code == "review_pending"
