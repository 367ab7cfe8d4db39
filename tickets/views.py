"""Serving attachment files to staff: previews for agents, originals only with explicit permission.

Files are streamed through these views from whichever store holds them (local folder or S3 bucket), never handed
out as a signed bucket URL: the permission check and the access log then cover every byte an agent receives, the
bucket stays unreachable from agents' browsers, and encrypted-at-rest files are decrypted here, not exposed.
"""

import io

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import AccessLog, Attachment
from .services.access import original_access_record
from .storage import StorageUnavailable

PREVIEW_BROWSER_CACHE_SECONDS = 3600


def _private_headers(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def can_see_identity(user) -> bool:
    """Supervisors: the full preview and the unmasked identity data."""
    return user.has_perm("tickets.view_original") or user.has_perm("tickets.view_sensitive")


def _open_stored(field, missing: str):
    """The stored file, opened; a file missing from the store is a 404, a store that does not answer a 503."""
    try:
        return field.open("rb")
    except FileNotFoundError:
        raise Http404(missing) from None


def _store_unavailable() -> HttpResponse:
    response = HttpResponse(_("The attachment store cannot be reached right now. Nothing is lost: try again in a "
                              "minute."), status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "60"
    return _private_headers(response)


@staff_member_required
def attachment_preview(request, pk: int):
    """The preview our analyser drew, labelled in the viewer's language, redacted unless they may see it all.

    A JPEG we drew (safe to show inline), `?size=thumb` for strips, large enough by default to read a phone
    screenshot's error text. The browser may keep it privately for an hour (never a shared cache: it shows
    identity documents); every fetch is logged, since a preview shows identity data even when redacted.
    """
    from PIL import UnidentifiedImageError

    from .services.access import audit_record
    from .services.previews import PREVIEW_WIDTHS, preview_blurred, preview_for_viewer

    if not request.user.has_perm("tickets.view_attachment"):
        raise PermissionDenied
    attachment = get_object_or_404(Attachment, pk=pk)
    if not attachment.preview:
        raise Http404(_("This attachment has no preview yet."))
    size = request.GET.get("size", "large")
    if size not in PREVIEW_WIDTHS:
        raise Http404(_("There is no preview of that size."))
    full = can_see_identity(request.user)
    if full:
        stored, blurred = attachment.preview, False
    elif attachment.preview_redacted:
        stored, blurred = attachment.preview_redacted, False
    else:  # drawn before redaction existed: all of it blurred until the attachment is analysed again
        stored, blurred = attachment.preview, True
    etag = _preview_etag(stored.name, full=full, size=size)
    if etag in request.headers.get("If-None-Match", ""):
        return _preview_headers(HttpResponseNotModified(), etag)
    missing = _("The preview of this attachment is missing from the store.")
    try:
        with _open_stored(stored, missing) as handle:
            png = handle.read()
    except StorageUnavailable:
        return _store_unavailable()
    try:
        picture = preview_for_viewer(preview_blurred(png) if blurred else png, size=size)
    except (UnidentifiedImageError, OSError, ValueError):
        raise Http404(_("The preview of this attachment cannot be read; analyse the attachment again.")) from None
    audit_record(AccessLog.Action.VIEW_PREVIEW, user=request.user, attachment=attachment,
                 detail="full" if full else "redacted", ip=request.META.get("REMOTE_ADDR"))
    return _preview_headers(FileResponse(io.BytesIO(picture), content_type="image/jpeg"), etag)


def _preview_etag(name: str, *, full: bool, size: str) -> str:
    """Changes with the stored file, who may see what, the size, the language and the way labels are drawn."""
    import hashlib

    from django.utils import translation

    from .services.previews import RENDER_VERSION

    key = "|".join((name, "full" if full else "redacted", size, translation.get_language() or "", RENDER_VERSION))
    return '"%s"' % hashlib.sha256(key.encode()).hexdigest()[:24]


def _preview_headers(response, etag: str):
    """Kept in the agent's own browser for an hour, never in a shared cache; a language switch is a new picture."""
    _private_headers(response)
    response["Cache-Control"] = "private, max-age=%d" % PREVIEW_BROWSER_CACHE_SECONDS
    response["Vary"] = "Cookie, Accept-Language"
    response["ETag"] = etag
    return response


@staff_member_required
def attachment_original(request, pk: int):
    """The original identity document as the customer sent it: permission-checked, logged, downloaded."""
    if not request.user.has_perm("tickets.view_original"):
        raise PermissionDenied
    attachment = get_object_or_404(Attachment, pk=pk)
    if not attachment.file:
        raise Http404(_("The original of this attachment is not kept (skipped or deleted)."))
    try:
        handle = _open_stored(attachment.file, _("The original of this attachment is missing from the store."))
    except StorageUnavailable:
        return _store_unavailable()
    # logged once the bytes are in hand, so the log lists what was really handed out
    original_access_record(attachment, user=request.user, ip=request.META.get("REMOTE_ADDR"))
    response = FileResponse(handle, as_attachment=True, filename=attachment.filename,
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
