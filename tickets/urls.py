"""Attachment files: only through these permission-checked views, never a public URL."""

from django.urls import path

from . import views

app_name = "tickets"
urlpatterns = [
    path("attachments/<int:pk>/preview/", views.attachment_preview, name="attachment_preview"),
    path("attachments/<int:pk>/original/", views.attachment_original, name="attachment_original"),
]
