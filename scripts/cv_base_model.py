"""Cross-validate the shipped base model's design on the TUNE part only (never test, seen, fresh or frozen).

    python scripts/cv_base_model.py [--folds 5]

For every tune ticket, a model of the base model's kind (tickets/triage/learned.py, with base_model.MIN_DF)
trained on the other folds names its top cause, as if the rules had found nothing on the ticket ("rules
blind"): that is the only kind of ticket the base model ever decides. Printed per threshold: how often such a
decision is right (precision), the share of tickets with a cause it places (coverage), and how many tickets
labelled `other` it would wrongly give a cause. Then the product itself out of fold: rules only against rules +
a base model fitted on the other folds (with its own gates), macro-F1 / exact set / first category.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyctriage.settings")

THRESHOLDS = (0.5, 0.6, 0.7, 0.8)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from tickets.triage import base_model, codes
    from tickets.triage.classify import classify
    from tickets.triage.evalset import load_ticketset, predicted_codes, score, simulate_facts
    from tickets.triage.learned import LearnedModel, top_cause

    items = load_ticketset(ROOT / "evalsets" / "triage", "tune")
    facts = [simulate_facts(item) for item in items]
    labels = [set(item["labels"]) for item in items]
    tops: list = [None] * len(items)
    with_base: list = [None] * len(items)
    for k in range(args.folds):
        train = [i for i in range(len(items)) if i % args.folds != k]
        examples = [(facts[i], labels[i]) for i in train]
        plain = LearnedModel._fit(examples, min_df=base_model.MIN_DF)
        fitted = base_model.fit_base_model(examples, fitted_on="cross-validation fold %d" % k)
        for i in range(len(items)):
            if i % args.folds == k:
                tops[i] = top_cause(plain.predict(facts[i]))
                with_base[i] = predicted_codes(classify(facts[i], base=fitted))
    with_cause = sum(1 for gold in labels if gold != {codes.OTHER})
    print("tune: %d tickets, %d folds, rules blind" % (len(items), args.folds))
    for threshold in THRESHOLDS:
        decided = [(top[0] in gold, gold == {codes.OTHER}) for top, gold in zip(tops, labels)
                   if top is not None and top[1] >= threshold]
        right = sum(1 for ok, _ in decided if ok)
        print("  p >= %.1f: precision %.3f, coverage %.3f, a cause given to %d `other` tickets" % (
            threshold, right / len(decided) if decided else 0.0, right / with_cause,
            sum(1 for _, on_other in decided if on_other)))
    gold = [item["labels"] for item in items]
    for name, predictions in (("rules only", [predicted_codes(classify(f, base=None)) for f in facts]),
                              ("rules + base model", with_base)):
        result = score(predictions, gold)
        print("  %-18s macro-F1 %.3f  exact %.3f  first %.3f" % (
            name, result["macro_f1"], result["exact_match"], result["first_category_accuracy"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
