"""Evaluate triage on the labelled ticket set: per part scores, a confusion table and a learning curve."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...conf import conf

DEFAULT_SET = Path(settings.BASE_DIR) / "evalsets" / "triage"
# seen: the first frozen part, scored once and so spent as a frozen part; now a test part (measured on,
# never tuned on). fresh: a held-out part written later, measured on and never tuned on. frozen: the part
# written after seen, scored once by the lead when the work is done.
PARTS = ("tune", "test", "seen", "fresh", "frozen")
# Round 2 of the tuning also read the even tickets of test; the odd ones stayed held out.
HALVES = {"test-even": ("test", 0), "test-odd": ("test", 1)}


class Command(BaseCommand):
    help = ("Score triage on the parts of the labelled set written apart from the rules (evalsets/triage): "
            "macro-F1, exact set, first category, per-category precision/recall and a confusion table; "
            "--curve adds the learned layer's learning curve. The frozen part is scored only when named.")

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_SET),
                            help="A folder with <part>.jsonl files, or one JSONL file with a 'split' field.")
        parser.add_argument("--part", action="append", choices=PARTS + tuple(HALVES) + ("train", "heldout"),
                            help="Part(s) to score (repeatable); default tune and test. Score frozen once, at the end.")
        parser.add_argument("--simulated", action="store_true",
                            help="Take attachment facts from the labels instead of generating and analysing images.")
        parser.add_argument("--workers", type=int, default=2, help="Processes analysing images in parallel.")
        parser.add_argument("--learned", action="store_true",
                            help="Train the learned layer on the whole tune part and use it while scoring.")
        parser.add_argument("--curve", action="store_true",
                            help="Learning curve: train on 25/50/100/200 tune tickets, score each on --curve-on.")
        parser.add_argument("--curve-on", action="append", choices=("test", "test-odd", "seen", "fresh", "frozen"),
                            help="Part(s) the learning curve is scored on (repeatable); default test.")
        parser.add_argument("--fit-calibration", action="store_true",
                            help="Refit the per-category calibration on the tune part and write calibration.json.")
        parser.add_argument("--fit-base-model", action="store_true",
                            help="Refit the shipped base model on the whole tune part (simulated attachment facts) "
                                 "and write tickets/triage/base_model.json.")
        parser.add_argument("--errors", action="store_true",
                            help="List misclassified tickets of the tune part (never of test, seen or frozen).")

    def handle(self, *args, path, part, simulated, workers, learned, curve, curve_on, fit_calibration,
               fit_base_model, errors, **options):
        from ...evaluation import learning_curve, part_facts, score_facts
        from ...triage.evalset import fit_calibration as fit, load_evalset, load_ticketset

        threshold = conf.AUTO_APPLY_CONFIDENCE
        source = Path(path)
        parts = part or ["tune", "test"]
        try:
            if source.is_dir():
                curve_on = curve_on or ["test"]
                wanted = set(parts) | ({"tune", *curve_on} if curve else set())
                wanted |= {"tune"} if learned or fit_calibration or fit_base_model else set()
                wanted |= {HALVES[name][0] for name in wanted if name in HALVES}
                items = {name: load_ticketset(source, name) for name in PARTS if name in wanted}
                for half, (whole, offset) in HALVES.items():
                    if half in wanted:
                        items[half] = items[whole][offset::2]
            else:
                rows = load_evalset(source)
                items = {name: [dict(r, primary=r["labels"][0]) for r in rows if r.get("split") == name]
                         for name in ("train", "heldout")}
                items["tune"] = items["train"]
                curve_on = curve_on or ["heldout"]
        except (OSError, KeyError, ValueError) as exc:
            raise CommandError("cannot read the labelled set %s: %s" % (path, exc)) from exc

        facts_cache: dict[str, list] = {}

        def facts_of(name):
            if name in HALVES and name not in facts_cache:  # a half is analysed with its whole part, once
                whole, offset = HALVES[name]
                facts_cache[name] = facts_of(whole)[offset::2]
            if name not in facts_cache:
                facts_cache[name], seconds = part_facts(items[name], workers=workers, simulated=simulated)
                if seconds:
                    self.stdout.write("%s: analysed attachments in %.1f s" % (name, seconds))
            return facts_cache[name]

        if fit_calibration:
            calibration = fit(items["tune"], fitted_on="%s tune part (%d tickets), simulated attachment facts"
                              % (source.name, len(items["tune"])))
            from ...triage.calibration import CALIBRATION_FILE

            CALIBRATION_FILE.write_text(calibration.dumps(), encoding="utf-8")
            self.stdout.write("calibration written to %s; applied from raw %s" % (
                CALIBRATION_FILE, {c: calibration.applied_from(c) for c in sorted(calibration.params)}))

        if fit_base_model:
            self._fit_base_model(source, items["tune"])

        model = None
        if learned:
            from ...triage.learned import LearnedModel

            tune = items["tune"]
            model = LearnedModel.train([(f, set(i["labels"])) for f, i in zip(facts_of("tune"), tune)])
            self.stdout.write("learned layer %s trained on %d tune tickets" % (model.version, len(tune)))

        for name in parts:
            if name not in items or not items[name]:
                continue
            result = score_facts(items[name], facts_of(name), model=model, auto_apply=threshold)
            self._report(name, result, threshold)
            self._report_rules_only(name, score_facts(items[name], facts_of(name), model=model, auto_apply=threshold,
                                                      rules_only=True))
            if errors and name in ("tune", "train"):
                for item, predicted in zip(items[name], result["predictions"]):
                    if set(predicted) != set(item["labels"]):
                        self.stdout.write("  ! %s gold=%s predicted=%s | %s" % (
                            item["id"], item["labels"], predicted, item["subject"]))

        for held in curve_on if curve else ():
            rows = learning_curve(items["tune"], facts_of("tune"), items[held], facts_of(held), auto_apply=threshold)
            self.stdout.write("learning curve (trained on tune, scored on %s):" % held)
            self.stdout.write("  (rules alone = what ships without agent training: rules, calibration, base model)")
            only = rows[0]["rules_only"]
            self.stdout.write("  %-12s macro-F1=%.3f exact=%.3f first=%.3f  (no base model)" % (
                "rules only", only["macro_f1"], only["exact_match"], only["first_category_accuracy"]))
            for row in rows:
                label = "rules alone" if not row["examples"] else "%d examples" % row["examples"]
                gates = row.get("gates")
                decides = "" if gates is None else "  decides alone: %s" % (
                    ", ".join("%s>=%.1f" % kv for kv in sorted(gates.items())) or "nothing (evidence only)")
                self.stdout.write("  %-12s macro-F1=%.3f exact=%.3f first=%.3f%s" % (
                    label, row["macro_f1"], row["exact_match"], row["first_category_accuracy"], decides))

    def _fit_base_model(self, source, tune):
        """Fit the base model on every ticket of the tune part and ship it as base_model.json."""
        from ...triage import base_model
        from ...triage.evalset import simulate_facts

        fitted_on = "%s tune part (%d tickets), simulated attachment facts" % (source.name, len(tune))
        model = base_model.fit_base_model([(simulate_facts(i), set(i["labels"])) for i in tune], fitted_on=fitted_on)
        base_model.BASE_MODEL_FILE.write_text(base_model.dumps(model), encoding="utf-8")
        base_model.reset()
        self.stdout.write("base model %s written to %s (fitted on %s); decides alone: %s" % (
            model.version, base_model.BASE_MODEL_FILE, fitted_on,
            ", ".join("%s>=%.1f" % kv for kv in sorted((model.gates or {}).items())) or "nothing"))

    def _report_rules_only(self, name, result):
        other = result["per_category"].get("other", {})
        self.stdout.write("%s, rules only (no base model): macro-F1=%.3f exact=%.3f first-category=%.3f  other P=%.2f "
                          "R=%.2f F1=%.2f" % (name, result["macro_f1"], result["exact_match"],
                                              result["first_category_accuracy"], other.get("precision", 0.0),
                                              other.get("recall", 0.0), other.get("f1", 0.0)))

    def _report(self, name, result, threshold):
        self.stdout.write("%s: n=%d macro-F1=%.3f exact=%.3f first-category=%.3f primary=%.3f  "
                          "triage %.1f ms/ticket (auto-apply at %.2f)"
                          % (name, result["n"], result["macro_f1"], result["exact_match"],
                             result["first_category_accuracy"], result["primary_accuracy"],
                             1000 * result["triage_seconds"] / max(1, result["n"]), threshold))
        for code, row in result["per_category"].items():
            self.stdout.write("  %-24s P=%.2f R=%.2f F1=%.2f (n=%d)" % (code, row["precision"], row["recall"],
                                                                       row["f1"], row["support"]))
        self.stdout.write("  confusion (gold row -> tagged with; '-' = nothing of its own):")
        for gold, row in result["confusion"].items():
            cells = ", ".join("%s %d" % (code, count) for code, count in sorted(row.items(), key=lambda kv: -kv[1]))
            self.stdout.write("    %-24s %s" % (gold, cells))
