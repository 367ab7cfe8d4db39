from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("KYC triage")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        from django.db.models.signals import post_migrate

        from .services.roles import roles_ensure

        from .analysis import thresholds  # noqa: F401 - reads KYCTRIAGE_THRESHOLD_* now: a bad value stops the start
        from .conf import conf

        conf.validate()
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        from . import retention_tasks, signals  # noqa: F401 - files follow their rows; retention's beat tasks
        post_migrate.connect(roles_ensure, sender=self, dispatch_uid="tickets_roles")
