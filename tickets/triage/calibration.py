"""Calibrated confidence: per-category Platt scaling of the rule score, fitted on the tune part only.

A rule score is a product of phrase weights, not a probability: 0.8 for "identity_info_error" and 0.8
for "review_pending" are not equally often right. Platt scaling maps each category's score through
sigmoid(a * logit(score) + b), fitted on labelled tickets, so that 0.5 means "right half the time" for
every category and the auto-apply threshold (0.5) becomes a per-category threshold on the raw score.
The fitted numbers live in calibration.json beside this file, with what they were fitted on.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from . import codes

CALIBRATION_FILE = Path(__file__).resolve().parent / "calibration.json"
_EPS = 0.01
# Raw scores below this are hint-level evidence (phrases.py: "< 0.5 for a word that should only ever suggest").
# The tune part has every labelled cause at a hint or more, so a fitted threshold below this line is
# extrapolation: classify() keeps such scores as suggestions whatever the fit says.
HINT_LINE = 0.5
# Platt's prior correction keeps a perfectly separated category from a step function.
_REGULARISATION = 1.0


def _logit(p: float) -> float:
    p = min(1.0 - _EPS, max(_EPS, p))
    return math.log(p / (1.0 - p))


class Calibration:
    """Per-category (a, b): calibrated = sigmoid(a * logit(raw) + b); identity for unfitted categories."""

    def __init__(self, params: dict[str, tuple[float, float]] | None = None, *, fitted_on: str = "") -> None:
        self.params = dict(params or {})
        self.fitted_on = fitted_on

    def __call__(self, code: str, raw: float) -> float:
        if code not in self.params or raw <= 0:
            return raw
        a, b = self.params[code]
        z = a * _logit(raw) + b
        return round(1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z)))), 3)

    def threshold(self, code: str, at: float = 0.5) -> float:
        """The raw score at which this category's calibrated confidence reaches `at`."""
        if code not in self.params:
            return at
        a, b = self.params[code]
        z = (_logit(at) - b) / a
        return round(1.0 / (1.0 + math.exp(-z)), 3)

    def applied_from(self, code: str, at: float = 0.5) -> float:
        """The raw score from which classify() applies this category: its threshold, never below the hint line."""
        return max(self.threshold(code, at), HINT_LINE)

    @classmethod
    def fit(cls, rows: list[tuple[dict[str, float], set[str]]], *, fitted_on: str = "") -> "Calibration":
        """rows: (raw rule score per category, gold categories) per labelled ticket."""
        from sklearn.linear_model import LogisticRegression

        params = {}
        for code in codes.CAUSES:
            xs = [[_logit(scores.get(code, 0.0))] for scores, _ in rows]
            ys = [1 if code in gold else 0 for _, gold in rows]
            if len(set(ys)) < 2:
                continue
            clf = LogisticRegression(C=_REGULARISATION, solver="lbfgs")
            clf.fit(xs, ys)
            a, b = float(clf.coef_[0][0]), float(clf.intercept_[0])
            if a > 0:  # a category whose score runs against its labels keeps its raw score
                params[code] = (round(a, 4), round(b, 4))
        return cls(params, fitted_on=fitted_on)

    def dumps(self) -> str:
        return json.dumps({"fitted_on": self.fitted_on,
                           "params": {c: list(v) for c, v in sorted(self.params.items())},
                           "thresholds": {c: self.threshold(c) for c in sorted(self.params)},
                           "applied_from": {c: self.applied_from(c) for c in sorted(self.params)}},
                          indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def load(cls, path: Path = CALIBRATION_FILE) -> "Calibration":
        """The shipped calibration; identity when the file is missing."""
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        return cls({c: (float(a), float(b)) for c, (a, b) in payload.get("params", {}).items()},
                   fitted_on=payload.get("fitted_on", ""))


_default: Calibration | None = None


def default_calibration() -> Calibration:
    global _default
    if _default is None:
        _default = Calibration.load()
    return _default
