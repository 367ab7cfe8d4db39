"""The shipped base model: the learned layer's kind of model, fitted on the project's labelled tune part.

It gives a second opinion where the rules find nothing (no cause, no topic outside the guide), so that a
cause in wording no rule knows is not simply "other" before any agent has corrected a ticket. It decides
only in the categories its cross-validation gates earned (learned.py) and only when the agents' own model
did not decide; everywhere else it is evidence. `evaluate_triage --fit-base-model` writes base_model.json
beside this file, with what it was fitted on; it is loaded lazily, once per process.
"""

from __future__ import annotations

import json
from pathlib import Path

BASE_MODEL_FILE = Path(__file__).resolve().parent / "base_model.json"
# Coefficients are stored to this many decimals: the file stays reviewable in size, predictions move < 1e-3.
_DECIMALS = 4
# n-grams on fewer tune tickets than this are left out: a third of the vocabulary, and out-of-fold on the
# tune part (691 tickets) the same precision and coverage of decisions as keeping them.
MIN_DF = 2

_default = None
_loaded = False


def fit_base_model(examples, *, fitted_on: str):
    """Train on labelled (facts, categories) pairs, gated by cross-validation, marked as the base model."""
    from .learned import BASE, LearnedModel

    model = LearnedModel.train(examples, min_df=MIN_DF)
    model.origin = BASE
    model.fitted_on = fitted_on
    return model


def dumps(model) -> str:
    """Plain JSON, provenance first: what it was fitted on, how many tickets, which gates it earned."""
    payload = model.to_payload()
    payload["classes"] = {code: {"coef": [round(float(w), _DECIMALS) for w in params["coef"]],
                                 "intercept": round(float(params["intercept"]), _DECIMALS)}
                          for code, params in payload["classes"].items()}
    heavy = ("vocabulary", "idf", "tokens", "classes")
    head = {k: v for k, v in payload.items() if k not in heavy}
    lines = ["{"] + ['  %s: %s,' % (json.dumps(k), json.dumps(v, ensure_ascii=False, sort_keys=True))
                     for k, v in head.items()]
    lines += ['  %s: %s%s' % (json.dumps(k), json.dumps(payload[k], ensure_ascii=False, separators=(",", ":")),
                              "," if k != heavy[-1] else "") for k in heavy]
    return "\n".join(lines) + "\n}\n"


def load(path: Path | None = None):
    """The base model stored at `path` (default: the shipped file); None when there is no file."""
    from .learned import LearnedModel

    path = path or BASE_MODEL_FILE
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return LearnedModel.from_payload(payload)


def default_base_model():
    """The shipped base model, read once per process (None without the file)."""
    global _default, _loaded
    if not _loaded:
        _default = load()
        _loaded = True
    return _default


def reset() -> None:
    """Forget the loaded model, so the next call reads the file again (after --fit-base-model)."""
    global _default, _loaded
    _default, _loaded = None, False
