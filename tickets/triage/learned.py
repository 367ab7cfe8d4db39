"""Learned layer: a small multi-label model trained on agents' corrections, stored as plain JSON.

Character n-grams (1-3, "char_wb") over subject + body + OCR text, plus attachment kind/defect
tokens, feed one logistic regression per category (one-vs-rest). The fitted numbers are stored as
JSON rather than pickled, so loading a model can never run code; we still only load models our own
training task wrote to our own database.
"""

from __future__ import annotations

import hashlib
import json
import math
import zlib

import numpy as np

from .codes import OTHER
from .text import normalize
from .types import TicketFacts

MIN_EXAMPLES = 10
# A model stored before gates existed decided every category alone from this probability.
LEGACY_ALONE = 0.5
FORMAT = "kyctriage.learned/1"
# Who trained a model: agents' corrections, or the project's labelled tune part (the shipped base model).
AGENTS = "agents"
BASE = "base"
NGRAM_RANGE = (1, 3)
# The model earns its influence per category on its own training tickets: each is predicted by a model
# trained without it (k-fold cross-validation), and the model may decide a category alone (on a ticket
# the rules could not place) only where its out-of-fold top cause, at or above the lowest of GATE_THRESHOLDS
# that does so, was right at least GATE_PRECISION of the time on at least GATE_SUPPORT tickets. A category
# that never earned it stays evidence only. GATE_PRECISION is the bar every category's precision must meet.
CV_FOLDS = 5
GATE_PRECISION = 0.85
GATE_SUPPORT = 4
GATE_THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)


def facts_text(facts: TicketFacts) -> str:
    """The text the model reads: subject, body and every OCR line, normalised like the rules see it."""
    parts = [facts.subject, facts.body]
    for att in facts.attachments:
        parts.extend(att.ocr_lines)
    return normalize("\n".join(p for p in parts if p)).text


def facts_tokens(facts: TicketFacts) -> list[str]:
    """Attachment kinds and defects as whole tokens (a defect is one fact, not a bag of characters)."""
    tokens = []
    for att in facts.attachments:
        tokens.append("kind=%s" % att.kind)
        for defect in att.defects:
            tokens.append("defect=%s" % defect)
            tokens.append("defect=%s:%s" % (att.kind, defect))
    return tokens


def _version(examples: list[tuple[TicketFacts, set[str]]]) -> str:
    """sha256 of the training data, so the same corrections always give the same version."""
    digest = hashlib.sha256()
    for facts, labels in examples:
        row = [facts_text(facts), sorted(facts_tokens(facts)), sorted(labels)]
        digest.update(json.dumps(row, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()[:12]


class LearnedModel:
    """Per-category logistic regressions over char n-grams and attachment tokens."""

    def __init__(
        self,
        *,
        vocabulary: dict[str, int],
        idf: list[float],
        tokens: dict[str, int],
        classes: dict[str, dict],
        version: str,
        n_examples: int,
        gates: dict[str, float] | None = None,
        overrules: list[str] | None = None,
        cross_validation: dict | None = None,
        origin: str = AGENTS,
        fitted_on: str = "",
    ) -> None:
        self.vocabulary = vocabulary
        self.idf = np.asarray(idf, dtype=float)
        self.tokens = tokens
        self.classes = classes
        self.version = version
        self.n_examples = n_examples
        # category -> the probability at which the model may decide it alone; None: a model stored before
        # gates existed, which decides every category from LEGACY_ALONE (see gate()).
        self.gates = gates
        # categories in which it may also overrule the rules' "topic outside the guide": earned the same way,
        # on training tickets the rules gave such a topic
        self.overrules = sorted(overrules or [])
        self.cross_validation = cross_validation or {}
        # who taught it: agents' corrections (stored in the database) or the shipped base model (base_model.py),
        # and, for the shipped one, what it was fitted on
        self.origin = origin
        self.fitted_on = fitted_on
        self._counter = None
        self._weights = None

    # -- training ---------------------------------------------------------------------------------
    @classmethod
    def train(cls, examples: list[tuple[TicketFacts, set[str]]], *, min_df: int = 1) -> "LearnedModel":
        """Fit on (facts, labels) pairs, then gate each category by cross-validation on the same pairs;
        raises ValueError when there is too little to learn from. min_df > 1 drops n-grams seen on fewer
        tickets (the shipped base model: a smaller file, equal out-of-fold precision on the tune part)."""
        if len(examples) < MIN_EXAMPLES:
            raise ValueError(
                "need at least %d examples to train the learned model, got %d: keep correcting tickets"
                % (MIN_EXAMPLES, len(examples))
            )
        model = cls._fit(examples, min_df=min_df)
        model.gates, model.overrules, model.cross_validation = _gates_by_cross_validation(examples, min_df=min_df)
        return model

    @classmethod
    def _fit(cls, examples: list[tuple[TicketFacts, set[str]]], *, min_df: int = 1) -> "LearnedModel":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        texts = [facts_text(f) for f, _ in examples]
        tfidf = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAM_RANGE, sublinear_tf=True, lowercase=False,
                                min_df=min_df)
        tfidf.fit(texts)
        vocabulary = {term: int(i) for term, i in tfidf.vocabulary_.items()}
        token_names = sorted({t for f, _ in examples for t in facts_tokens(f)})
        model = cls(
            vocabulary=vocabulary,
            idf=tfidf.idf_.tolist(),
            tokens={t: i for i, t in enumerate(token_names)},
            classes={},
            version=_version(examples),
            n_examples=len(examples),
        )
        features = model._features([f for f, _ in examples])
        codes = sorted({c for _, labels in examples for c in labels})
        trained = 0
        for code in codes:
            y = np.array([1 if code in labels else 0 for _, labels in examples])
            if y.min() == y.max():
                continue  # always or never present: nothing to separate, so no opinion
            clf = LogisticRegression(C=10.0, class_weight="balanced", solver="liblinear", max_iter=1000)
            clf.fit(features, y)
            model.classes[code] = {"coef": clf.coef_[0].tolist(), "intercept": float(clf.intercept_[0])}
            trained += 1
        if trained == 0:
            raise ValueError("need at least two different categories among the examples to train the learned model")
        return model

    # -- prediction -------------------------------------------------------------------------------
    def gate(self, code: str) -> float | None:
        """The probability at which this model may decide `code` alone; None where it has not earned that."""
        if self.gates is None:
            return LEGACY_ALONE if code in self.classes else None
        return self.gates.get(code)

    def may_overrule_topic(self, code: str) -> bool:
        """Whether it may name `code` where the rules found a topic outside the guide (legacy models: yes)."""
        return self.gates is None or code in self.overrules

    def _features(self, items: list[TicketFacts]):
        from scipy import sparse
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.preprocessing import normalize as l2_normalize

        if self._counter is None:
            self._counter = CountVectorizer(
                analyzer="char_wb", ngram_range=NGRAM_RANGE, lowercase=False, vocabulary=self.vocabulary
            )
        counts = self._counter.transform([facts_text(f) for f in items]).astype(float)
        counts.data = 1.0 + np.log(counts.data)
        text = l2_normalize(counts.multiply(self.idf).tocsr())
        rows, cols = [], []
        for r, facts in enumerate(items):
            for t in set(facts_tokens(facts)):
                if t in self.tokens:
                    rows.append(r)
                    cols.append(self.tokens[t])
        tok = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(items), max(1, len(self.tokens))))
        return sparse.hstack([text, tok]).tocsr()

    def predict(self, facts: TicketFacts) -> dict[str, float]:
        """Probability per category the model was trained to separate (others are absent, not 0)."""
        if self._weights is None:  # one matrix, built once: a shipped model predicts on every ticket
            names = list(self.classes)
            self._weights = (names, np.asarray([self.classes[c]["coef"] for c in names], dtype=float).T,
                             np.asarray([self.classes[c]["intercept"] for c in names], dtype=float))
        names, coef, intercept = self._weights
        if not names:
            return {}
        z = np.asarray(self._features([facts]) @ coef).ravel() + intercept
        return {code: round(1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, float(v))))), 4) for code, v in zip(names, z)}

    # -- storage ----------------------------------------------------------------------------------
    def to_payload(self) -> dict:
        """The model as plain JSON data (no pickle): vocabulary, idf, tokens and per-category coefficients."""
        return {
            "format": FORMAT,
            "origin": self.origin,
            "fitted_on": self.fitted_on,
            "version": self.version,
            "n_examples": self.n_examples,
            "ngram_range": list(NGRAM_RANGE),
            "vocabulary": self.vocabulary,
            "idf": self.idf.tolist(),
            "tokens": self.tokens,
            "classes": self.classes,
            "gates": self.gates,
            "overrules": self.overrules,
            "cross_validation": self.cross_validation,
        }

    def dumps(self) -> bytes:
        """Compressed JSON (no pickle), as stored in the database."""
        return zlib.compress(json.dumps(self.to_payload(), ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)

    @classmethod
    def loads(cls, data: bytes) -> "LearnedModel":
        """Rebuild a model written by dumps(); only ever fed bytes from our own database."""
        try:
            payload = json.loads(zlib.decompress(data).decode("utf-8"))
        except (zlib.error, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError("not a stored learned model: %s" % exc) from exc
        return cls.from_payload(payload)

    @classmethod
    def from_payload(cls, payload) -> "LearnedModel":
        """Rebuild a model from to_payload()'s data, checking its format and shape."""
        if not isinstance(payload, dict) or payload.get("format") != FORMAT:
            raise ValueError("unknown learned model format %r: retrain the model" % (payload.get("format") if isinstance(payload, dict) else None))
        width = len(payload["vocabulary"]) + max(1, len(payload["tokens"]))
        for code, params in payload["classes"].items():
            if len(params["coef"]) != width:
                raise ValueError("learned model for %r has %d weights, expected %d" % (code, len(params["coef"]), width))
        return cls(
            vocabulary={str(k): int(v) for k, v in payload["vocabulary"].items()},
            idf=[float(v) for v in payload["idf"]],
            tokens={str(k): int(v) for k, v in payload["tokens"].items()},
            classes=payload["classes"],
            version=str(payload["version"]),
            n_examples=int(payload["n_examples"]),
            gates=({str(k): float(v) for k, v in payload["gates"].items()}
                   if isinstance(payload.get("gates"), dict) else None),
            overrules=[str(c) for c in payload.get("overrules") or []],
            cross_validation=payload.get("cross_validation") or {},
            origin=str(payload.get("origin") or AGENTS),
            fitted_on=str(payload.get("fitted_on") or ""),
        )


def top_cause(probabilities: dict[str, float]) -> tuple[str, float] | None:
    """The model's most likely cause when it is surer of it than of "other"; None otherwise."""
    causes = [(p, code) for code, p in probabilities.items() if code != OTHER]
    if not causes:
        return None
    p, code = max(causes)
    if p <= probabilities.get(OTHER, 0.0):
        return None
    return code, p


def _gates_by_cross_validation(
    examples: list[tuple[TicketFacts, set[str]]], *, min_df: int = 1,
) -> tuple[dict[str, float], list[str], dict]:
    """Per category, the lowest threshold at which the model's out-of-fold top cause was right at least
    GATE_PRECISION of the time on at least GATE_SUPPORT tickets, and, on the tickets the rules alone could
    not place (the only ones it decides), right at least as often as wrong; categories that never were
    are left out. A gated category may also overrule the rules' topic outside the guide when, at its gate,
    its out-of-fold decisions on tickets with such a topic were right more often than wrong."""
    from .classify import rules_outcome

    outcome = [rules_outcome(facts) for facts, _ in examples]
    decisions: dict[str, list[tuple[float, bool, str]]] = {}
    folds = min(CV_FOLDS, len(examples))
    for k in range(folds):
        train = [ex for i, ex in enumerate(examples) if i % folds != k]
        held = [i for i in range(len(examples)) if i % folds == k]
        try:
            model = LearnedModel._fit(train, min_df=min_df)
        except ValueError:  # a fold with a single category has nothing to separate
            continue
        for i in held:
            facts, labels = examples[i]
            top = top_cause(model.predict(facts))
            if top is not None:
                decisions.setdefault(top[0], []).append((top[1], top[0] in labels, outcome[i]))
    gates, overrules, report = {}, [], {}
    for code, rows in sorted(decisions.items()):
        for threshold in GATE_THRESHOLDS:
            kept = [(right, where) for p, right, where in rows if p >= threshold]
            if len(kept) < GATE_SUPPORT:
                break
            precision = sum(right for right, _ in kept) / len(kept)
            tally = {where: [sum(1 for r, w in kept if w == where and r), sum(1 for r, w in kept if w == where and not r)]
                     for where in ("nothing", "topic")}
            report[code] = {"threshold": threshold, "decisions": len(kept), "precision": round(precision, 3),
                            "unplaced_right_wrong": tally["nothing"], "topic_right_wrong": tally["topic"]}
            if precision >= GATE_PRECISION and tally["nothing"][0] >= tally["nothing"][1]:
                gates[code] = threshold
                if tally["topic"][0] > tally["topic"][1]:
                    overrules.append(code)
                break
    return gates, overrules, {"folds": folds, "categories": report}
