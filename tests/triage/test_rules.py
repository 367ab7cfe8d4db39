"""Phrase, OCR and defect rules: each category in both languages, negations, evidence and confidence."""

import pytest

from tickets.triage.rules import rule_scores

from .factories import document, screenshot, selfie, ticket


def codes_of(facts, threshold=0.5):
    return [s.code for s in rule_scores(facts) if s.confidence >= threshold]


def top(facts):
    scores = rule_scores(facts)
    return scores[0].code if scores else None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("注册时把名字拼错了，认证一直不通过", "identity_info_error"),
        ("I made a typo in my surname when I signed up", "identity_info_error"),
        ("身份证照片反光，被拒了", "document_requirements"),
        ("They said my passport has expired", "document_requirements"),
        ("人脸识别不过，试了好多次", "face_recognition_failed"),
        ("The liveness check fails every single time", "face_recognition_failed"),
        ("提示人脸与证件照片不匹配", "face_document_mismatch"),
        ("It says my selfie doesn't match my ID photo", "face_document_mismatch"),
        ("我的账户被冻结了，没法认证", "account_security_risk"),
        ("My account is locked after a suspicious login", "account_security_risk"),
        ("上传失败，一直提示网络错误", "upload_network_failure"),
        ("The upload timed out again on mobile data", "upload_network_failure"),
        ("审核中好几天了，什么时候有结果？", "review_pending"),
        ("My verification is still pending after 5 days", "review_pending"),
        ("认证页面白屏，什么都没有", "page_load_cache"),
        ("The verification page won't load, just a blank screen", "page_load_cache"),
        ("系统版本太低，摄像头打不开", "device_unsupported"),
        ("Camera not detected on my old laptop", "device_unsupported"),
    ],
)
def test_phrase_points_to_its_category(body, expected):
    assert top(ticket(body)) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("審核好幾天了，還是沒有結果", "review_pending"),
        ("活體檢測一直失敗", "face_recognition_failed"),
        ("帳戶被鎖定了，說有異常活動", "account_security_risk"),
        ("上傳證件一直失敗，網路不穩定", "upload_network_failure"),
        ("驗證頁面一片空白，清除快取也沒用", "page_load_cache"),
    ],
)
def test_traditional_chinese_is_understood(body, expected):
    assert top(ticket(body)) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("my verifcation has been pending for a week", "review_pending"),
        ("cant upload, netwrok error every time", "upload_network_failure"),
        ("pasport photo is blury", "document_requirements"),
    ],
)
def test_common_typos_still_match(body, expected):
    assert top(ticket(body)) == expected


@pytest.mark.parametrize(
    ("body", "absent"),
    [
        ("网络没问题，就是人脸识别一直不过", "upload_network_failure"),
        ("我的网络很好，人脸识别一直不过", "upload_network_failure"),
        ("The network is fine, the liveness check keeps failing", "upload_network_failure"),
        ("Not a network issue. The selfie doesn't match my passport.", "upload_network_failure"),
        ("照片很清楚，没有反光也不模糊，但提示证件号码不一致", "document_requirements"),
        ("There is no glare and the photo is not blurry, but my face doesn't match the ID", "document_requirements"),
    ],
)
def test_negated_phrases_do_not_fire(body, absent):
    assert absent not in codes_of(ticket(body), threshold=0.3)


def test_document_defects_point_to_document_requirements():
    facts = ticket("", "", document("glare", glare={"ratio": 0.07, "region": "top-left"}))
    (score,) = rule_scores(facts)
    assert score.code == "document_requirements"
    assert 0.8 <= score.confidence <= 0.9
    assert [str(e) for e in score.evidence] == ["attachment passport.jpg: glare 7% of area, top-left"]
    (record,) = score.evidence
    assert (record.source, record.attachment, record.value) == ("defect", "passport.jpg", "glare")
    assert dict(record.metrics) == {"ratio": 0.07, "region": "top-left"}


@pytest.mark.parametrize("defect", ["too_dark", "no_face", "multiple_faces", "blurry"])
def test_selfie_defects_point_to_face_recognition(defect):
    assert top(ticket("", "", selfie(defect))) == "face_recognition_failed"


def test_expired_document_names_the_expiry():
    facts = ticket("", "", document("expired_document", expired_document={"expiry": "2024-03-01"}))
    (score,) = rule_scores(facts)
    assert score.code == "document_requirements"
    assert dict(score.evidence[0].metrics)["expiry"] == "2024-03-01"
    assert "2024-03-01" in str(score.evidence[0])


def test_ocr_line_beats_vague_body():
    facts = ticket("认证又失败了", "帮忙看看", screenshot("请稍候", "网络连接超时，请重试"))
    scores = rule_scores(facts)
    assert scores[0].code == "upload_network_failure"
    assert scores[0].confidence >= 0.85
    record = scores[0].evidence[0]
    assert (record.source, record.attachment, record.line, record.phrase) == ("ocr_line", "screen.png", 2, "网络连接超时，请重试")
    assert str(record) == 'OCR line 2 of screen.png: "网络连接超时，请重试"'


def test_ocr_of_an_id_document_is_not_read_as_an_error_message():
    doc = document(filename="id.jpg")
    doc = type(doc)("id.jpg", "id_document", (), {}, ("DATE OF EXPIRY 12 MAR 2031",))
    assert rule_scores(ticket("", "", doc)) == []


def test_a_single_weak_word_stays_a_suggestion():
    (score,) = rule_scores(ticket("Which browser should I use?"))
    assert score.code == "page_load_cache"
    assert score.confidence < 0.5


def test_independent_signals_raise_confidence():
    one = rule_scores(ticket("passport photo has glare"))[0].confidence
    two = rule_scores(ticket("passport photo has glare", "", document("glare")))[0].confidence
    assert two > one
    assert two == pytest.approx(1 - (1 - one) * (1 - 0.85), abs=0.01)


def test_multi_label_ticket_keeps_both_causes():
    facts = ticket("护照有反光被拒了一次，重新拍完上传又一直超时。")
    assert set(codes_of(facts)) == {"document_requirements", "upload_network_failure"}


def test_generic_upload_failure_is_explained_away_by_a_specific_cause():
    facts = ticket("I can't upload my passport, the file is too large (15 MB)")
    assert codes_of(facts) == ["document_requirements"]


def test_confidence_is_a_probability_and_evidence_quotes_the_customer():
    facts = ticket(
        "My verifcation is pending for 9 days, the page is blank, my account is frozen and the upload timed out",
        "HELP",
        screenshot("Network error, please try again", "Verification under review"),
        document("glare", "blurry", "cropped", "expired_document"),
        selfie("too_dark", "no_face"),
    )
    scores = rule_scores(facts)
    assert len(scores) >= 5
    for s in scores:
        assert 0.0 <= s.confidence <= 1.0
        assert s.evidence and all(str(e) for e in s.evidence)
    review = next(s for s in scores if s.code == "review_pending")
    assert 'body: "is pending"' in [str(e) for e in review.evidence]


def test_evidence_quotes_the_original_words_not_the_normalised_ones():
    (score,) = rule_scores(ticket("the selfy keeps geting rejected"))
    assert score.code == "face_recognition_failed"
    assert [(e.source, e.phrase) for e in score.evidence] == [("body", "selfy keeps geting rejected")]


def test_empty_ticket_has_no_signal():
    assert rule_scores(ticket("", "")) == []
