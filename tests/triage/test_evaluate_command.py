"""evaluate_triage on the written ticket set: the parts it scores and the learning curve's guard."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tickets.evaluation import learning_curve, part_facts
from tickets.triage.classify import classify, rules_found_nothing
from tickets.triage.evalset import ticketset_item

from .factories import ticket

SET = Path(__file__).resolve().parents[2] / "evalsets" / "triage"


def _rows(part, n):
    with (SET / ("%s.jsonl" % part)).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh][:n]


def test_the_spent_frozen_part_is_kept_as_seen_and_the_frozen_sources_are_separate():
    sources = {p.name for p in (SET / "src").glob("*.txt")}
    assert {"seen_a.txt", "seen_b.txt", "seen_c.txt", "seen_d.txt"} <= sources
    seen = [json.loads(line) for line in (SET / "seen.jsonl").open(encoding="utf-8")]
    assert len(seen) == 202 and seen[0]["id"] == "seen-001"


def test_seen_is_scored_and_the_curve_runs_on_it(tmp_path):
    (tmp_path / "tune.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _rows("tune", 60)),
                                         encoding="utf-8")
    (tmp_path / "seen.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _rows("seen", 20)),
                                         encoding="utf-8")
    out = StringIO()
    call_command("evaluate_triage", str(tmp_path), "--part", "seen", "--simulated", "--curve", "--curve-on", "seen",
                 stdout=out)
    text = out.getvalue()
    assert "seen: n=20 macro-F1=" in text
    assert "learning curve (trained on tune, scored on seen):" in text
    assert "rules alone" in text and "25 examples" in text and "50 examples" in text


def test_errors_never_lists_a_ticket_of_a_part_that_is_measured(tmp_path):
    (tmp_path / "seen.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _rows("seen", 30)),
                                         encoding="utf-8")
    out = StringIO()
    call_command("evaluate_triage", str(tmp_path), "--part", "seen", "--simulated", "--errors", stdout=out)
    assert "seen-0" not in out.getvalue()


def test_a_learned_layer_that_earned_no_gate_leaves_every_step_of_the_curve_at_the_rules():
    """The curve's guard: with too few corrections per category no gate opens, so no step can fall below the rules."""
    train = [ticketset_item(r) for r in _rows("tune", 25)]
    held = [ticketset_item(r) for r in _rows("seen", 40)]
    train_facts, _ = part_facts(train, simulated=True)
    held_facts, _ = part_facts(held, simulated=True)
    rows = learning_curve(train, train_facts, held, held_facts, sizes=(25,))
    assert rows[0]["examples"] == 0 and rows[1]["examples"] == 25
    if not rows[1]["gates"]:
        assert {k: rows[1][k] for k in ("macro_f1", "exact_match", "first_category_accuracy")} == \
               {k: rows[0][k] for k in ("macro_f1", "exact_match", "first_category_accuracy")}


@pytest.mark.parametrize(("body", "nothing"), [
    ("人脸识别一直失败", False),       # a cause
    ("请问提现手续费是多少？", False),  # a topic outside the guide: the rules' own decision
    ("Hello, please help me.", True),  # nothing the rules can read
])
def test_rules_found_nothing_marks_the_only_tickets_the_learned_layer_decides(body, nothing):
    assert rules_found_nothing(ticket(body)) is nothing
    if nothing:
        assert classify(ticket(body))[0].code == "other"


@pytest.fixture
def base_model_file(tmp_path, monkeypatch):
    """--fit-base-model writes to a temporary file; the shipped model is read again afterwards."""
    from tickets.triage import base_model

    path = tmp_path / "base_model.json"
    monkeypatch.setattr(base_model, "BASE_MODEL_FILE", path)
    base_model.reset()
    yield path
    base_model.reset()


def test_fit_base_model_takes_the_whole_tune_part_and_says_what_it_was_fitted_on(tmp_path, base_model_file):
    from tickets.triage import base_model

    (tmp_path / "tune.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _rows("tune", 60)),
                                         encoding="utf-8")
    (tmp_path / "fresh.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _rows("seen", 20)),
                                          encoding="utf-8")
    out = StringIO()
    call_command("evaluate_triage", str(tmp_path), "--simulated", "--fit-base-model", "--part", "fresh", stdout=out)
    text = out.getvalue()
    model = base_model.load(base_model_file)
    assert model.origin == "base" and model.n_examples == 60
    assert model.fitted_on == "%s tune part (60 tickets), simulated attachment facts" % tmp_path.name
    assert "base model %s written to" % model.version in text
    assert base_model.default_base_model().version == model.version  # the run scored with the model it wrote
    assert "fresh: n=20 macro-F1=" in text and "fresh, rules only (no base model): macro-F1=" in text
