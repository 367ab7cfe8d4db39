"""Evaluate triage on the labelled ticket set: per part scores, a confusion table and a learning curve."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...conf import conf

DEFAULT_SET = Path(settings.BASE_DIR) / "evalsets" / "triage"
# seen: the first frozen part, scored once and so spent as a frozen part; now a test part (measured on,
# never tuned on). frozen: the part written after it, scored once by the lead when the work is done.
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
        parser.add_argument("--curve-on", action="append", choices=("test", "test-odd", "seen", "frozen"),
                            help="Part(s) the learning curve is scored on (repeatable); default test.")
        parser.add_argument("--fit-calibration", action="store_true",
                            help="Refit the per-category calibration on the tune part and write calibration.json.")
        parser.add_argument("--errors", action="store_true",
                            help="List misclassified tickets of the tune part (never of test, seen or frozen).")

    def handle(self, *args, path, part, simulated, workers, learned, curve, curve_on, fit_calibration, errors,
               **options):
        from ...evaluation import learning_curve, part_facts, score_facts
        from ...triage.evalset import fit_calibration as fit, load_evalset, load_ticketset

        threshold = conf.AUTO_APPLY_CONFIDENCE
        source = Path(path)
        parts = part or ["tune", "test"]
        try:
            if source.is_dir():
                curve_on = curve_on or ["test"]
                wanted = set(parts) | ({"tune", *curve_on} if curve else set()) | ({"tune"} if learned or fit_calibration else set())
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
            if errors and name in ("tune", "train"):
                for item, predicted in zip(items[name], result["predictions"]):
                    if set(predicted) != set(item["labels"]):
                        self.stdout.write("  ! %s gold=%s predicted=%s | %s" % (
                            item["id"], item["labels"], predicted, item["subject"]))

        for held in curve_on if curve else ():
            rows = learning_curve(items["tune"], facts_of("tune"), items[held], facts_of(held), auto_apply=threshold)
            self.stdout.write("learning curve (trained on tune, scored on %s):" % held)
            for row in rows:
                label = "rules alone" if not row["examples"] else "%d examples" % row["examples"]
                gates = row.get("gates")
                decides = "" if gates is None else "  decides alone: %s" % (
                    ", ".join("%s>=%.1f" % kv for kv in sorted(gates.items())) or "nothing (evidence only)")
                self.stdout.write("  %-12s macro-F1=%.3f exact=%.3f first=%.3f%s" % (
                    label, row["macro_f1"], row["exact_match"], row["first_category_accuracy"], decides))

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
