"""Cause versus context: what was tried, asked, denied, supposed or quoted is not the customer's problem."""

import pytest

from tickets.triage.calibration import Calibration
from tickets.triage.classify import classify
from tickets.triage.evalset import predicted_codes
from tickets.triage.types import TicketFacts

from .factories import document, selfie, ticket


def applied(facts):
    return set(predicted_codes(classify(facts)))


@pytest.mark.parametrize(("body", "expected"), [
    # things already tried
    ("I already cleared the cache and tried another browser, the page loads fine. It just says pending for 6 days.",
     {"review_pending"}),
    ("我已经清过缓存、也换过浏览器了，页面都正常，就是一直显示审核中。", {"review_pending"}),
    ("我已經清過快取也換過瀏覽器了，頁面沒問題，就是一直審核中。", {"review_pending"}),
    # a state word about something else
    ("It says pending but that's only because the face check failed, it kept saying move closer.",
     {"face_recognition_failed"}),
    ("状态显示待审核，但其实是因为人脸识别失败了才卡住的，光线太暗。", {"face_recognition_failed"}),
    # hypotheticals and questions about later
    ("Before I start: what happens if my selfie fails or my review takes long?", {"other"}),
    ("如果以后人脸识别失败或者一直显示审核中，一般怎么处理？", {"other"}),
    ("假設我的證件過期了還能驗證嗎？目前還沒過期。", {"other"}),
    # a belief that turned out wrong
    ("I thought it was a network issue but the upload was fine. My surname is misspelled.", {"identity_info_error"}),
    ("我还以为是照片不清楚，后来发现其实是网络问题，每次上传到一半就断了。", {"upload_network_failure"}),
    # a step that worked
    ("The face check passed on the second try. Since then it has been pending for a week.", {"review_pending"}),
    ("人脸识别已经通过了，现在一直在审核中，已经六天了。", {"review_pending"}),
    # denied
    ("Not a network problem, not a page problem. The passport photo gets rejected for glare.",
     {"document_requirements"}),
])
def test_context_is_not_tagged(body, expected):
    assert applied(ticket(body)) == expected


def test_two_problems_keep_both_with_the_first_named_first():
    facts = ticket("Uploads keep timing out, and when one went through it was rejected for glare.")
    ranked = [s.code for s in classify(facts) if s.confidence >= 0.5]
    assert set(ranked) == {"upload_network_failure", "document_requirements"}


def test_a_defect_in_a_step_the_customer_says_worked_is_not_their_problem():
    facts = ticket("My ID was accepted already, it has been pending for a week. Attaching it again anyway.", "",
                   document("blurry"))
    assert applied(facts) == {"review_pending"}
    assert applied(ticket("人脸已经通过了，一直审核中，一周了。", "", selfie("too_dark"))) == {"review_pending"}
    # without such a sentence the defect is evidence as before
    assert "document_requirements" in applied(ticket("Here is my passport, it was rejected.", "", document("blurry")))


@pytest.mark.parametrize(("body", "expected"), [
    ("请问提现手续费是多少？", {"other"}),
    ("Sent funds to the wrong address. Can you reverse it?", {"other"}),
    ("提币地址填错了，币还能找回吗？", {"other"}),
    ("My withdrawal hasn't arrived; also my account is frozen for suspicious activity.", {"account_security_risk"}),
])
def test_other_is_a_decision_for_topics_outside_the_guide(body, expected):
    assert applied(ticket(body)) == expected


@pytest.mark.parametrize(("body", "expected"), [
    ("renlian shibie yizhi shibai, shuo guangxian tai an", "face_recognition_failed"),
    ("wo de renzheng shenhe le yi ge xingqi le, hai mei jieguo", "review_pending"),
    ("zhanghu bei dongjie le, shuo you anquan fengxian", "account_security_risk"),
])
def test_pinyin_is_read(body, expected):
    assert classify(ticket(body))[0].code == expected


def test_calibration_is_monotone_and_puts_each_category_threshold_at_half():
    cal = Calibration({"review_pending": (1.5, 0.2), "page_load_cache": (1.5, -1.0)})
    for code in cal.params:
        values = [cal(code, raw) for raw in (0.1, 0.3, 0.5, 0.7, 0.9)]
        assert values == sorted(values) and all(0 <= v <= 1 for v in values)
        assert cal(code, cal.threshold(code)) == pytest.approx(0.5, abs=0.01)
    assert cal.threshold("page_load_cache") > 0.5 > cal.threshold("review_pending")
    assert cal("identity_info_error", 0.42) == 0.42  # unfitted categories keep their score


def test_calibration_fit_separates_right_from_wrong_scores():
    rows = [({"review_pending": 0.9}, {"review_pending"})] * 8 + [({"review_pending": 0.45}, {"other"})] * 8
    cal = Calibration.fit(rows, fitted_on="test rows")
    assert cal("review_pending", 0.9) > 0.5 > cal("review_pending", 0.45)


def test_shipped_calibration_names_what_it_was_fitted_on():
    cal = Calibration.load()
    assert "tune" in cal.fitted_on and cal.params


@pytest.mark.parametrize(("body", "expected"), [
    # waiting and asking how long say how long another cause has lasted, not that a review is pending
    ("I have been trying for three days. The selfie step says it could not verify my face every time.",
     {"face_recognition_failed"}),
    ("已经第四天了，每次到刷脸那一步就提示识别失败。", {"face_recognition_failed"}),
    ("等了一個禮拜還是一樣，上傳身分證一直連線中斷。", {"upload_network_failure"}),
    ("Any update? The upload still times out at 80% every time.", {"upload_network_failure"}),
    # a verdict after the review words ends the review
    ("等审核结果等了一周，结果被拒了，说我的出生日期不一致。", {"identity_info_error"}),
    ("After a week in review it was rejected: my name does not match my passport.", {"identity_info_error"}),
    # alone, the same words are the customer's problem
    ("Submitted last Thursday, no news yet. How long does it take?", {"review_pending"}),
    ("材料周一交的，已经等了五天，还要多久？", {"review_pending"}),
    ("已經送出五天了，想問目前進度。", {"review_pending"}),
    # a review that is really still open stays beside another problem
    ("认证审核了一周没结果，今天账户又被冻结了，说有风险。", {"review_pending", "account_security_risk"}),
    ("My verification has been under review for two weeks, and now the verification page is just a white screen.",
     {"review_pending", "page_load_cache"}),
])
def test_follow_up_words_are_context_beside_another_cause(body, expected):
    assert applied(ticket(body)) == expected


def test_follow_up_words_in_the_subject_are_context_beside_a_cause_in_the_body():
    assert applied(ticket("一到拍照那步就闪退，我的手机是安卓6。", "好几天了")) == {"device_unsupported"}
    assert applied(ticket("I sent my passport on Monday.", "waiting a week")) == {"review_pending"}


@pytest.mark.parametrize(("body", "expected"), [
    # a face failure said in the same sentence as the mismatch is the mismatch, in both scripts
    ("提示人像核验未通过，说现场照片和证件照不是同一人。", {"face_document_mismatch"}),
    ("Face verification failed: it says my selfie does not match the photo on my passport.", {"face_document_mismatch"}),
    ("系統說我的臉跟身分證上的照片對不起來。", {"face_document_mismatch"}),
    # a problem from an earlier attempt that was redone is history
    ("之前身份证照片模糊被退回一次，我重新拍了，现在显示审核中已经一周了。", {"review_pending"}),
    ("Previously my passport photo was blurry, I re-uploaded it and now it has been under review for a week.",
     {"review_pending"}),
    # "是不是因为…" asks; it does not explain the cause away
    ("身份证号最后一位是X，我输成了小写x，是不是因为这个一直过不去？", {"identity_info_error"}),
    # blurred text on a broken page is the page's problem, not the document's
    ("认证网页显示乱码，字都叠在一起，看不清该点哪里。", {"page_load_cache"}),
    # questions about KYC itself are a topic of their own
    ("Why do you need a picture of my face and my passport? Who sees this data and how long do you keep it?",
     {"other"}),
    ("为什么一定要实名认证？我不想提供身份证。", {"other"}),
])
def test_cause_versus_context_in_both_scripts(body, expected):
    assert applied(ticket(body)) == expected


# -- i15-rules: wording nobody here wrote -------------------------------------------------------------------

@pytest.mark.parametrize(("text", "folded"), [
    ("上載唔到，網路連線逾時", "上传不到,网络连接超时"),
    ("系統話我同身份證相唔夾", "系统说我同身份证相不一致"),
    ("detect唔到我塊面", "检测不到我脸"),
    ("電腦冇攝影機", "电脑没有摄像头"),
    ("認證頁面一直叫我重新整理", "认证页面一直叫我刷新"),
    ("個page一直refresh", "个页面一直刷新"),
    ("我打過電話，唔知有冇關係", "我打过电话,不知有没有关系"),  # 電話 and 關係 keep their meaning
])
def test_cantonese_and_taiwan_wording_fold_to_the_phrase_tables_mandarin(text, folded):
    from tickets.triage.text import normalize

    assert normalize(text).text == folded


@pytest.mark.parametrize(("body", "expected"), [
    ("上載身份證一直話「連線逾時」，我喺屋企用wifi。", {"upload_network_failure"}),
    ("做face verification一直話「無法偵測到臉部」，我有戴頭巾。", {"face_recognition_failed"}),
    ("我上個月交咗資料，等咗好耐，仲未批。", {"review_pending"}),
    ("認證頁面整個跑版，上傳按鈕被蓋住按不到。", {"page_load_cache"}),
    ("部手提冇鏡頭，個認證頁話「未偵測到攝影機」。", {"device_unsupported"}),
    ("系統話我同身份證相唔夾，我最近減咗肥。", {"face_document_mismatch"}),
])
def test_hong_kong_tickets_are_read(body, expected):
    assert applied(ticket(body)) == expected


@pytest.mark.parametrize(("body", "expected"), [
    # a face-check word beside a sure mismatch is that mismatch's detail, in three scripts
    ("结果出来说人脸与证件照片不一致。我现在胖了，还戴眼镜。", {"face_document_mismatch"}),
    ("結果說人臉與證件照片不一致。我現在有戴眼鏡。", {"face_document_mismatch"}),
    ("The result says my selfie does not match the passport photo. I wear glasses now.", {"face_document_mismatch"}),
    # ... and the thing another cause's phrase is about, in its clause
    ("你们说设备暂不支持活体检测，这手机才买一年！", {"device_unsupported"}),
    ("你們說此裝置不支援活體檢測，這手機才買一年！", {"device_unsupported"}),
    # an old phone that took a blurry photo is the photo's detail
    ("我用旧手机拍的驾照，系统说图片分辨率过低。", {"document_requirements"}),
    # the same words alone are the customer's problem
    ("刷脸的时候我戴着眼镜，一直提示请正对屏幕。", {"face_recognition_failed"}),
])
def test_a_shared_symptom_word_belongs_to_the_sure_cause_beside_it(body, expected):
    assert applied(ticket(body)) == expected


def test_a_forwarded_notice_is_the_problem_when_the_customer_names_none():
    fwd = "Hi, forwarding the mail I got. I don't understand it.\n\n> From: Verification Team\n" \
          "> Reason: The face in your selfie could not be matched with the photo on your identity document.\n"
    assert applied(TicketFacts("Fwd: verification", "Hi, forwarding the mail I got. I don't understand it.",
                               as_sent=fwd)) == {"face_document_mismatch"}
    zh = "转发一下收到的邮件，请尽快处理。\n\n> 系统检测到您的账户存在异常登录行为，已暂停身份认证。"
    assert applied(TicketFacts("转：通知", "转发一下收到的邮件，请尽快处理。", as_sent=zh)) == {"account_security_risk"}
    # the customer's own cause wins; a forwarded phishing mail is a topic of its own
    own = "My passport photo was rejected for glare.\n\n> Earlier: please clear your browser cache."
    assert applied(TicketFacts("Re: help", "My passport photo was rejected for glare.", as_sent=own)) \
        == {"document_requirements"}
    phish = "Forwarding this because it looks like phishing.\n\n> Your account will be suspended, click here."
    assert applied(TicketFacts("Fwd: odd mail", "Forwarding this because it looks like phishing.", as_sent=phish)) \
        == {"other"}


@pytest.mark.parametrize(("body", "expected"), [
    # "is it because…?" asks; the cause before it stays
    ("人脸一直提示请正对屏幕，我戴着帽子和口罩，是因为这个吗？", {"face_recognition_failed"}),
    ("The selfie check keeps failing, it says move closer. Is it because of my glasses?", {"face_recognition_failed"}),
    # a withdrawal's "processing" and "three days" are the transfer's, not a review's
    ("提币三天了还显示处理中，再不处理我就投诉了。", {"other"}),
    ("提幣三天了還顯示處理中，再不處理我就投訴了。", {"other"}),
    ("My withdrawal status says processing, it has been three days.", {"other"}),
    # a verdict supposed later does not end the review
    ("认证资料交了，现在已经第七天了，还要等多久？如果资料有问题麻烦直接驳回。", {"review_pending"}),
    ("It has been pending review for 7 days. If something is wrong, just reject it so I can redo it.",
     {"review_pending"}),
    # a remedy tried, said after the remedy
    ("打开认证页面一直显示加载中，网络4G和WiFi都试了。", {"page_load_cache"}),
    # a browser named beside a browser that cannot run the check
    ("At the selfie step the page says your browser does not support the camera. I use Firefox on Linux.",
     {"device_unsupported"}),
    ("喺WhatsApp入面開條link，彈咗「此瀏覽器不支援視訊功能，請改用 Chrome 或 Safari」。", {"device_unsupported"}),
    # "地址没错" says the address is right; a valid ID is not an expired one
    ("昨天充了500U，链上显示已确认，账户里没有。地址没错。", {"other"}),
    ("说人脸与证件照片不一致，我身份证还有好几年才到期。", {"face_document_mismatch"}),
    # asking whether to redo a step does not make its earlier problem history
    ("账户被锁定了，说检测到异常操作。之前传的身份证照片被退了说太模糊，解锁以后还要重拍吗？",
     {"account_security_risk", "document_requirements"}),
    # wording for a second, real problem
    ("Upload keeps cutting out with connection lost. Also, I put my old zip code in the address.",
     {"upload_network_failure", "identity_info_error"}),
    ("It was stuck on uploading document 2 of 3 when my hotel wifi dropped.", {"upload_network_failure"}),
    ("Apparently my personal details do not match the document: I used my married name.", {"identity_info_error"}),
    # "something went wrong" is the first line of the network error beside it
    ("My ID won't upload, it says something went wrong, check your internet connection.",
     {"upload_network_failure"}),
])
def test_context_is_not_a_second_cause(body, expected):
    assert applied(ticket(body)) == expected
