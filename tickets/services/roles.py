"""The two staff roles: agents work tickets; supervisors may also open originals and see identity data."""

from django.contrib.auth.models import Group, Permission

AGENT_PERMISSIONS = [
    "view_ticket", "change_ticket", "add_ticket", "view_message", "view_attachment", "view_attachmentdefect",
    "view_categoryassignment", "add_categoryassignment", "change_categoryassignment",
    "delete_categoryassignment", "view_suggestedreply", "view_processingstep", "view_replytemplate",
    "view_incomingmail", "view_correction",
]
SUPERVISOR_PERMISSIONS = AGENT_PERMISSIONS + [
    "view_original", "view_sensitive", "view_accesslog", "change_replytemplate", "add_replytemplate",
    "change_incomingmail", "view_mailbox", "change_mailbox", "add_mailbox", "view_triagemodel",
]
ROLES = {"KYC agents": AGENT_PERMISSIONS, "KYC supervisors": SUPERVISOR_PERMISSIONS}


def roles_ensure(app_config=None, using="default", **kwargs) -> None:
    """Create or update the role groups (run after every migrate)."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    config = global_apps.get_app_config("tickets")
    # our post_migrate handler may run before auth's: make sure the permissions exist first
    create_contenttypes(config, verbosity=0, using=using)
    create_permissions(config, verbosity=0, using=using)
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(content_type__app_label="tickets", codename__in=codenames))
