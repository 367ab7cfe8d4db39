"""Retrain the learned triage layer from agents' corrections (beat does it nightly)."""

from django.core.management.base import BaseCommand

from ...services.learning import triage_model_retrain


class Command(BaseCommand):
    help = "Train a new version of the learned triage layer if the corrections changed."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Train even if the corrections did not change.")

    def handle(self, *args, force, **options):
        outcome = triage_model_retrain(force=force)
        if outcome.trained:
            numbers = "; ".join("%s: macro-F1 %.3f, exact %.3f, first %.3f" % (
                name, row["macro_f1"], row["exact_match"], row["first_category_accuracy"])
                for name, row in (("new", outcome.metrics.get("candidate")),
                                  (outcome.metrics.get("incumbent_version", ""), outcome.metrics.get("incumbent")))
                if row)
            state = "it is now active" if outcome.activated else outcome.reason
            self.stdout.write("trained %s on %d examples; %s%s" % (
                outcome.version, outcome.examples, state, (" (%s)" % numbers) if numbers else ""))
        else:
            self.stdout.write("not trained (%d examples): %s" % (outcome.examples, outcome.reason))
