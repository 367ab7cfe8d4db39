"""Mask identity data in rows stored before it was masked at write time (once, after upgrading)."""

from django.core.management.base import BaseCommand

from ...services.masking import stored_identity_data_mask


class Command(BaseCommand):
    help = ("Mask ID numbers, MRZ lines and dates of birth in mail, OCR text, evidence and search text stored by "
            "an earlier version; the unmasked text is kept encrypted for supervisors. Safe to run twice.")

    def handle(self, *args, **options):
        counts = stored_identity_data_mask()
        self.stdout.write("masked %(messages)d messages, %(attachments)d attachments and %(categories)d "
                          "categories of %(tickets)d tickets" % counts)
