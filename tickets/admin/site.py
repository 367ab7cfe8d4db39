"""Admin site settings for the desk: a title of its own and the full width for the queue."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("KYC triage desk")
admin.site.site_title = _("KYC triage desk")
admin.site.index_title = _("Support desk")
admin.site.enable_nav_sidebar = False
