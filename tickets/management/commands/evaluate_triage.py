"""Evaluate triage on the labelled set: generated images, real analysis, per-category scores."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...conf import conf

DEFAULT_SET = Path(settings.BASE_DIR) / "tests" / "samples" / "triage" / "tickets.jsonl"


class Command(BaseCommand):
    help = "Print per-category precision/recall/F1, macro-F1 and timings for the train and held-out splits."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_SET))
        parser.add_argument("--split", choices=["train", "heldout", "both"], default="both")
        parser.add_argument("--workers", type=int, default=2, help="Processes analysing images in parallel.")
        parser.add_argument("--learned", action="store_true",
                            help="Also train the learned layer on the train split and blend it in.")
        parser.add_argument("--errors", action="store_true",
                            help="List misclassified tickets of the train split (never of the held-out split).")

    def handle(self, *args, path, split, workers, learned, errors, **options):
        from ...evaluation import evaluate_items
        from ...triage.evalset import load_evalset

        try:
            items = load_evalset(path)
        except OSError as exc:
            raise CommandError("cannot read the labelled set %s: %s" % (path, exc)) from exc
        train = [i for i in items if i.get("split") == "train"]
        heldout = [i for i in items if i.get("split") == "heldout"]
        threshold = conf.AUTO_APPLY_CONFIDENCE
        model = None
        if learned:
            from ...triage.evalset import simulate_facts
            from ...triage.learned import LearnedModel

            model = LearnedModel.train([(simulate_facts(i), set(i["labels"])) for i in train])
            self.stdout.write("learned layer %s trained on %d train tickets" % (model.version, len(train)))
        for name, part in (("train", train), ("heldout", heldout)):
            if split not in (name, "both") or not part:
                continue
            result = evaluate_items(part, workers=workers, model=model, auto_apply=threshold)
            self.stdout.write("%s: n=%d macro-F1=%.3f first-category=%.3f exact=%.3f  analysis %.2f s/ticket, "
                              "triage %.1f ms/ticket (auto-apply at %.2f)"
                              % (name, result["n"], result["macro_f1"], result["first_category_accuracy"],
                                 result["exact_match"], result["analysis_seconds"] / result["n"],
                                 1000 * result["triage_seconds"] / result["n"], threshold))
            for code, row in result["per_category"].items():
                self.stdout.write("  %-24s P=%.2f R=%.2f F1=%.2f (n=%d)" % (code, row["precision"], row["recall"],
                                                                           row["f1"], row["support"]))
            if errors and name == "train":
                for item, predicted, facts in zip(part, result["predictions"], result["facts"]):
                    if set(predicted) != set(item["labels"]):
                        self.stdout.write("  ! %s gold=%s predicted=%s | %s | %s" % (
                            item["id"], item["labels"], predicted, item["subject"],
                            [(a.kind, a.defects, a.ocr_lines[:3]) for a in facts.attachments]))
