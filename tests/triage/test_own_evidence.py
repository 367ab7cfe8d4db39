"""Precision: a secondary cause is tagged only on evidence of its own, not on a word it shares with the primary."""

import pytest

from tickets.triage.classify import classify
from tickets.triage.evalset import predicted_codes

from .factories import document, selfie, ticket


def applied(facts):
    return set(predicted_codes(classify(facts)))


@pytest.mark.parametrize(("body", "expected"), [
    # light or shaking hands in a ticket about a document photo, with no face or selfie anywhere: the photo's detail
    ("驾驶证照片被退回，说模糊。晚上在房间里拍的，光线不好，手也抖。", {"document_requirements"}),
    ("駕駛證相片被退回，話模糊。夜晚喺房入面影嘅，光線唔好，手又抖。", {"document_requirements"}),
    ("My passport photo keeps getting rejected as blurry. I took it at night, the lighting was bad.",
     {"document_requirements"}),
    # the same words with the face step named are a face problem of their own
    ("身份证照片被退回说模糊；自拍那一步也一直失败，光线太暗。", {"document_requirements", "face_recognition_failed"}),
    ("My passport photo was rejected as blurry, and the selfie step keeps saying too dark.",
     {"document_requirements", "face_recognition_failed"}),
    # alone, the light words still name the face check's trouble
    ("人脸识别一直过不了，提示光线太暗。", {"face_recognition_failed"}),
])
def test_a_face_word_without_a_face_is_the_document_problems_detail(body, expected):
    assert applied(ticket(body)) == expected


def test_an_attached_selfie_is_the_face_checks_object():
    body = "The ID photo was refused for glare. The other one is too dark too, I think."
    assert applied(ticket(body, "", document("glare"))) == {"document_requirements"}
    assert "face_recognition_failed" in applied(ticket(body, "", document("glare"), selfie("too_dark")))


@pytest.mark.parametrize(("body", "expected"), [
    # a redo told as done, in a sentence that ends with a question about something else: the earlier problem is over
    ("之前护照照片反光被退回一次，我重新拍了，现在审核中五天了，还要等多久？", {"review_pending"}),
    ("之前護照相片反光被退回一次，我重新影咗，而家審核中五日了，仲要等幾耐？", {"review_pending"}),
    ("Earlier my passport photo was rejected for glare, I retook it, now it has been under review for 5 days, how long?",
     {"review_pending"}),
    # a redo asked about keeps the earlier problem current
    ("之前护照照片反光被退回了，还要重新拍吗？", {"document_requirements"}),
])
def test_a_problem_redone_before_a_question_about_something_else_is_history(body, expected):
    assert applied(ticket(body)) == expected


@pytest.mark.parametrize(("body", "attachments", "expected"), [
    # the photo's defect is not what the customer writes about: their words name another sure cause
    ("我的名字拼音拼错了，应该是 Zhang Wei，附件是我的身份证。", (document("glare"),), {"identity_info_error"}),
    ("我個名拼音拼錯咗，應該係 Chan Tai Man，附件係我張身份證。", (document("glare"),), {"identity_info_error"}),
    ("My surname is misspelled on the form, it should be Okafor. My ID is attached.", (document("blurry"),),
     {"identity_info_error"}),
    ("Upload keeps failing with a network error on the hotel wifi. Selfie attached.", (selfie("too_dark"),),
     {"upload_network_failure"}),
    # ... unless their words say the photo was turned down too
    ("我的名字拼音拼错了。另外身份证照片也被退回了。", (document("glare"),),
     {"identity_info_error", "document_requirements"}),
    ("My surname is misspelled on the form. Also the passport picture was refused.", (document("cropped"),),
     {"identity_info_error", "document_requirements"}),
    # alone, the defect is the problem whatever the words
    ("Please check my verification, documents attached.", (document("glare"),), {"document_requirements"}),
])
def test_an_attachment_defect_beside_another_worded_cause_needs_words_of_its_own(body, attachments, expected):
    assert applied(ticket(body, "", *attachments)) == expected


@pytest.mark.parametrize(("body", "expected"), [
    # the selfie is what failed to upload: the upload's object, not a face check that failed
    ("证件照传好了，自拍那张一直上传失败，提示网络异常。", {"upload_network_failure"}),
    ("證件照上傳好了，自拍那張一直上傳失敗，顯示網路異常。", {"upload_network_failure"}),
    ("The ID went through but the selfie fails to upload, it says network error.", {"upload_network_failure"}),
    # a face check that failed is the face check's
    ("自拍一直失败，提示光线太暗。", {"face_recognition_failed"}),
    ("The selfie keeps failing, it says too dark.", {"face_recognition_failed"}),
])
def test_a_face_word_in_an_upload_failure_is_the_uploads_object(body, expected):
    assert applied(ticket(body)) == expected


@pytest.mark.parametrize(("body", "expected"), [
    # a precaution names what the customer kept away, not what went wrong
    ("身份证是在台灯下拍的，没开闪光灯，怕反光。现在一直显示审核中，已经第四天了。", {"review_pending"}),
    ("身份證係喺枱燈下影嘅，冇開閃光燈，怕反光。而家一直顯示審核中，已經第四日。", {"review_pending"}),
    ("I shot the ID by the window to avoid glare. It has been under review for four days now.", {"review_pending"}),
    # a size said to be small is not a file too large
    ("上传护照照片一直提示网络异常，照片才 2MB 不大。", {"upload_network_failure"}),
    ("上傳護照相片一直顯示網路異常，相片只有 1.5MB。", {"upload_network_failure"}),
    ("The passport photo upload keeps failing with a network error, the file is only 1.5MB.",
     {"upload_network_failure"}),
    # a size the app complains about is
    ("上传证件提示文件过大，照片有 15MB。", {"document_requirements"}),
])
def test_a_precaution_or_a_size_said_to_be_small_is_not_a_document_problem(body, expected):
    assert applied(ticket(body)) == expected


@pytest.mark.parametrize(("body", "expected"), [
    # a document "rejected" without a reason of its own, beside the reason another cause gives: that cause's verdict
    ("身份证传了两次还是被退回，后来看了原因，写的是证件号码与填写不一致。", {"identity_info_error"}),
    ("身份證上載咗兩次都係被退回，原因寫住證件號碼與填寫不一致。", {"identity_info_error"}),
    ("The photo of my passport was rejected twice. The reason given: my date of birth does not match the form.",
     {"identity_info_error"}),
    # a rejection alone, or with a document reason, is the document's
    ("身份证照片被退回了，不知道为什么。", {"document_requirements"}),
    ("The photo of my passport was rejected twice, no reason given.", {"document_requirements"}),
    ("身份证照片被退回了，说有反光。另外我的名字拼错了。", {"document_requirements", "identity_info_error"}),
])
def test_a_bare_document_rejection_is_the_verdict_of_the_reason_beside_it(body, expected):
    assert applied(ticket(body)) == expected


@pytest.mark.parametrize(("body", "expected"), [
    # "the system says" is the app speaking: the file type it refuses is the document's, not an unsupported phone
    ("我上传了身份证的 PDF 扫描件，系统说格式不支持，只能 JPG 或 PNG？", {"document_requirements"}),
    ("我上傳了身分證的 PDF 掃描檔，系統說格式不支援，只能 JPG 或 PNG？", {"document_requirements"}),
    # the phone's own system still is
    ("到人脸那一步就提示系统版本不支持，手机是五年前买的。", {"device_unsupported"}),
])
def test_a_file_type_the_app_refuses_is_not_an_unsupported_device(body, expected):
    assert applied(ticket(body)) == expected


@pytest.mark.parametrize(("body", "expected"), [
    # a reflection said of the customer's glasses is on the glasses, not on the document
    ("活体检测一直失败，我戴的眼镜镜片会反光，是这个原因吗？", {"face_recognition_failed"}),
    ("活體檢測一直失敗，我戴嘅眼鏡鏡片會反光，係咪呢個原因？", {"face_recognition_failed"}),
    ("The liveness check fails every time. I wear thick glasses, maybe the reflection?", {"face_recognition_failed"}),
    # a reflection on the document still is
    ("身份证照片被退回，说有反光。", {"document_requirements"}),
    # a problem from an earlier attempt, redone later in the same sentence: the earlier problem is history
    ("上个月第一次提交被拒，原因是人脸与证件不符，我重拍了自拍又交了一次，到现在两周了还在审核中。",
     {"review_pending"}),
    ("上個月第一次提交被拒，原因係人臉與證件不符，我重新影咗自拍再交咗一次，到而家兩個禮拜仲係審核中。",
     {"review_pending"}),
    ("The first time it was rejected, saying my face does not match the passport, so I retook the selfie and it has been under review for two weeks.",
     {"review_pending"}),
])
def test_a_word_of_another_object_or_of_an_earlier_attempt_is_not_a_second_cause(body, expected):
    assert applied(ticket(body)) == expected
