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
            self.stdout.write("trained %s on %d examples; it is now active" % (outcome.version, outcome.examples))
        else:
            self.stdout.write("not trained (%d examples): %s" % (outcome.examples, outcome.reason))
