"""Doorways from model deletions (by any path: admin, shell, cascades) to the file services."""

from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from .models import Attachment, IncomingMail, Ticket


@receiver(post_delete, sender=Attachment, dispatch_uid="tickets_attachment_files")
@receiver(post_delete, sender=IncomingMail, dispatch_uid="tickets_incoming_raw")
def _files_follow_their_row(sender, instance, **kwargs) -> None:
    from .services.files import row_files_deleted

    row_files_deleted(instance)


@receiver(pre_delete, sender=Ticket, dispatch_uid="tickets_ticket_raw_mail")
def _raw_mail_follows_its_ticket(sender, instance, **kwargs) -> None:
    from .services.files import ticket_raw_mail_delete

    ticket_raw_mail_delete(instance)
