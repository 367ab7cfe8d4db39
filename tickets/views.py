"""Serving attachment files to staff: previews for agents, originals only with explicit permission."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import Attachment
from .services.access import original_access_record


def _private_headers(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@staff_member_required
def attachment_preview(request, pk: int):
    """The annotated, downscaled preview our analyser drew (a PNG we made, safe to show inline)."""
    if not request.user.has_perm("tickets.view_attachment"):
        raise PermissionDenied
    attachment = get_object_or_404(Attachment, pk=pk)
    if not attachment.preview:
        raise Http404(_("This attachment has no preview yet."))
    response = FileResponse(attachment.preview.open("rb"), content_type="image/png")
    return _private_headers(response)


@staff_member_required
def attachment_original(request, pk: int):
    """The original identity document as the customer sent it: permission-checked, logged, downloaded."""
    if not request.user.has_perm("tickets.view_original"):
        raise PermissionDenied
    attachment = get_object_or_404(Attachment, pk=pk)
    if not attachment.file:
        raise Http404(_("The original of this attachment is not kept (skipped or deleted)."))
    original_access_record(attachment, user=request.user, ip=request.META.get("REMOTE_ADDR"))
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.filename,
                            content_type="application/octet-stream")
    return _private_headers(response)


def healthz(request):
    """For load balancers and compose: 200 when the app can reach its database, 503 with the reason if not."""
    from django.db import connection
    from django.http import HttpResponse

    try:
        connection.ensure_connection()
    except Exception as exc:  # noqa: BLE001 - any failure is "not healthy"
        return HttpResponse("database unreachable: %s\n" % type(exc).__name__, status=503,
                            content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
