"""The labelled set: held-out quality thresholds and the shape of the samples."""

from pathlib import Path

import pytest

from tickets.triage import codes
from tickets.triage.evalset import evaluate, load_evalset, score, simulate_facts, strip_body

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "triage" / "tickets.jsonl"


@pytest.fixture(scope="module")
def items():
    return load_evalset(SAMPLES)


def test_evalset_shape(items):
    assert len(items) >= 160
    splits = {it["split"] for it in items}
    assert splits == {"train", "heldout"}
    assert sum(it["split"] == "heldout" for it in items) >= 60
    zh = sum(it["language"] == "zh" for it in items)
    assert 0.4 <= zh / len(items) <= 0.6
    assert len({it["id"] for it in items}) == len(items)
    for it in items:
        assert it["labels"] and set(it["labels"]) <= set(codes.CATEGORIES)


def test_heldout_meets_the_bar(items):
    heldout = [it for it in items if it["split"] == "heldout"]
    result, _ = evaluate(heldout)
    assert result["macro_f1"] >= 0.85
    assert result["first_category_accuracy"] >= 0.9


def test_simulate_facts_turns_specs_into_facts():
    item = {
        "id": "x", "subject": "s", "body": "认证又失败了\n\n在 2026年11月2日 客服 写道：\n> 请检查网络",
        "attachments": [
            {"type": "screenshot", "lines": ["网络连接超时，请重试"], "theme": "dark", "lang": "zh"},
            {"type": "id_document", "defects": ["glare"], "doc": "passport"},
            {"type": "id_document", "defects": ["expired_document"], "expiry": "2024-03-01", "doc": "id_card"},
            {"type": "selfie", "defects": ["too_dark"]},
        ],
        "labels": ["upload_network_failure"],
    }
    facts = simulate_facts(item, ocr_noise=False)
    assert facts.body == "认证又失败了"
    shot, passport, idc, face = facts.attachments
    assert shot.kind == "screenshot" and shot.ocr_lines == ("网络连接超时，请重试",)
    assert passport.filename == "passport.jpg" and passport.defects == ("glare",)
    assert 0 < passport.defect_details["glare"]["ratio"] < 1 and passport.defect_details["glare"]["region"]
    assert idc.defect_details["expired_document"]["expiry"] == "2024-03-01"
    assert face.kind == "selfie" and face.defects == ("too_dark",)


def test_signature_is_stripped():
    assert strip_body("页面白屏。\n\n-- \n王磊\n网络工程师") == "页面白屏。"


def test_score_counts_per_category_and_first_category():
    result = score([["a", "b"], ["b"], ["c"]], [["a"], ["b"], ["a"]])
    assert result["per_category"]["a"]["recall"] == 0.5
    assert result["per_category"]["b"]["precision"] == 0.5
    assert result["first_category_accuracy"] == pytest.approx(2 / 3)
    assert set(result["per_category"]) == {"a", "b"}
