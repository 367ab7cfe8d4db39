"""Reply suggestions: the right variant first, naming the concrete problem, in the ticket's language."""

import pytest

from tickets.triage import codes
from tickets.triage.classify import classify
from tickets.triage.replies import DEFAULT_TEMPLATES, greeting_name, render_text, suggest, thread_subject
from tickets.triage.types import ReplyTemplate

from .factories import document, screenshot, selfie, ticket

GLARE = {"glare": {"ratio": 0.07, "region": "top-left"}}


def test_every_category_has_a_generic_template_in_both_languages():
    have = {(t.code, t.language) for t in DEFAULT_TEMPLATES}
    for code in codes.CATEGORIES:
        for lang in ("zh", "en"):
            assert ("%s.generic" % code, lang) in have


def test_every_variant_exists_in_both_languages():
    variants = {t.code for t in DEFAULT_TEMPLATES}
    for code in variants:
        assert {t.language for t in DEFAULT_TEMPLATES if t.code == code} == {"zh", "en"}
    for v in ("generic", "glare", "blurry", "too_dark", "cropped", "expired", "low_resolution", "unreadable",
              "unsupported_file", "file_too_large"):
        assert "document_requirements.%s" % v in variants
    for v in ("generic", "too_dark", "no_face", "multiple_faces", "blurry"):
        assert "face_recognition_failed.%s" % v in variants


@pytest.mark.parametrize(("lang", "name", "region"), [("en", "Anna", "top-left corner"), ("zh", "李娜", "左上角")])
def test_glare_on_passport_gives_the_glare_reply_naming_file_and_region(lang, name, region):
    facts = ticket("it failed", "", document("glare", **GLARE), name=name)
    replies = suggest(facts, classify(facts), lang, ticket_reference="KYC-7")
    first = replies[0]
    assert first.template == "document_requirements.glare"
    assert first.language == lang
    assert "passport.jpg" in first.body and region in first.body and name in first.body
    assert "KYC-7" in first.subject
    assert "{" not in first.body and "{" not in first.subject


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ocr_error_line_is_quoted(lang):
    facts = ticket("help", "", screenshot("Network error, please try again"))
    first = suggest(facts, classify(facts), lang)[0]
    assert first.template == "upload_network_failure.generic"
    assert "Network error, please try again" in first.body


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_expired_reply_names_the_expiry(lang):
    facts = ticket("", "", document("expired_document", expired_document={"expiry": "2024-03-01"}))
    first = suggest(facts, classify(facts), lang)[0]
    assert first.template == "document_requirements.expired"
    assert "2024-03-01" in first.body


def test_selfie_defect_picks_the_face_variant():
    facts = ticket("", "", selfie("too_dark"))
    assert suggest(facts, classify(facts), "en")[0].template == "face_recognition_failed.too_dark"


def test_phrase_alone_can_pick_a_variant():
    facts = ticket("照片有反光")
    first = suggest(facts, classify(facts), "zh")[0]
    assert first.template == "document_requirements.glare"
    assert "反光" in first.body


def test_most_confident_category_comes_first_and_limit_is_respected():
    facts = ticket("审核中", "", screenshot("Your account is temporarily restricted"), selfie("no_face"))
    scores = classify(facts)
    replies = suggest(facts, scores, "en", limit=2)
    assert len(replies) == 2
    assert replies[0].template.startswith(scores[0].code)


def test_greeting_without_a_name():
    facts = ticket("请问提现手续费是多少？")
    zh = suggest(facts, classify(facts), "zh")[0]
    en = suggest(facts, classify(facts), "en")[0]
    assert zh.template == "other.generic" and zh.body.startswith("您好！")
    assert en.body.startswith("Hello,")


def test_empty_scores_still_give_a_reply():
    assert suggest(ticket(""), [], "en")[0].template == "other.generic"


def test_unknown_language_falls_back_to_english():
    facts = ticket("", "", document("glare"))
    assert suggest(facts, classify(facts), "fr")[0].language == "en"


@pytest.mark.parametrize(
    "text",
    ["{unknown}", "{", "}", "{0}", "{a.b}", "{customer_name!r}", "%(customer_name)s", "{{customer_name}}", "", "{problem:>10}"],
)
def test_placeholders_never_raise(text):
    assert isinstance(render_text(text, {"customer_name": "Ann"}), str)


def test_missing_placeholders_render_empty():
    template = ReplyTemplate("other.generic", "en", "Ref [{ticket_reference}] {nope}", "Hi {customer_name}{nope}!")
    facts = ticket("")
    reply = suggest(facts, [], "en", templates=[template])[0]
    assert reply.subject == "Ref"
    assert reply.body == "Hi !"


@pytest.mark.parametrize(("customer_subject", "expected"), [
    ("护照照片被拒", "Re: 护照照片被拒 [KYC-000123]"),
    ("Re: RE: passport rejected", "Re: passport rejected [KYC-000123]"),
    ("回复：Fwd: 认证失败 [KYC-000123]", "Re: 认证失败 [KYC-000123]"),
    ("AW: Re[2]: selfie", "Re: selfie [KYC-000123]"),
    ("", "Re: [KYC-000123]"),
])
def test_reply_subject_threads_under_the_customers_subject(customer_subject, expected):
    assert thread_subject(customer_subject, "KYC-000123") == expected


def test_suggested_replies_carry_the_thread_subject():
    facts = ticket("", "Passport   rejected", document("glare", **GLARE))
    for reply in suggest(facts, classify(facts), "en", ticket_reference="KYC-000042"):
        assert reply.subject == "Re: Passport rejected [KYC-000042]"


@pytest.mark.parametrize(("display_name", "expected"), [
    ("Anna Schmidt", "Anna Schmidt"),
    ("李娜", "李娜"),
    ("  José  Peña ", "José Peña"),
    ("<b>Anna</b>", ""),
    ("Anna (work account)", ""),
    ("=?utf-8?b?5p2O5aic?=", ""),
    ("anna@example.com", ""),
    ("\"Anna\" <anna@example.com>", ""),
    ("Customer Support", ""),
    ("user12345", ""),
    ("\ufffd\ufffd", ""),
    ("A very long display name that certainly is not just a person", ""),
])
def test_greeting_uses_a_clean_display_name_or_none(display_name, expected):
    assert greeting_name(display_name) == expected
    facts = ticket("请问提现手续费是多少？", name=display_name)
    body = suggest(facts, classify(facts), "en")[0].body
    assert body.splitlines()[0] == ("Hi %s," % expected if expected else "Hello,")
