"""URL routes: the admin is the product; attachments are served only through checked views."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from tickets.admin.site import desk_index
from tickets.views import healthz
from tickets.views_language import language_set

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", language_set, name="set_language"),
    path("files/", include("tickets.urls")),
    path("admin/", admin.site.admin_view(desk_index), name="desk_index"),  # agents land on the queue
    path("admin/", admin.site.urls),
]
