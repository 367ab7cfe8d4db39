"""Serving previews (issue 13, item 6): a JPEG labelled in the agent's language, kept only in their own browser."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse

from tickets.models import AccessLog, Attachment, Ticket

pytestmark = pytest.mark.django_db


def _marked_png(width=800, height=600) -> bytes:
    import numpy as np

    from tickets.analysis.preview import render

    rgb = np.full((height, width, 3), 225, np.uint8)
    return render(rgb, [("glare", {"percent": 12}, (300, 250, 200, 100))], defects=["glare", "too_dark"])


@pytest.fixture
def attachment(db):
    ticket = Ticket.objects.create(subject="x", customer_email="a@example.com")
    att = Attachment(ticket=ticket, filename="passport.jpg", kind="id_document", size=4)
    att.preview.save("p.png", ContentFile(_marked_png()), save=False)
    att.preview_redacted.save("r.png", ContentFile(_marked_png()), save=False)
    att.save()
    return att


@pytest.fixture
def agent_client(client, django_user_model):
    agent = django_user_model.objects.create_user("agent", password="pw", is_staff=True)
    agent.groups.add(Group.objects.get(name="KYC agents"))
    client.force_login(agent)
    return client


def _get(client, attachment, **params):
    return client.get(reverse("tickets:attachment_preview", args=[attachment.pk]), params)


def _image(response):
    from PIL import Image

    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


def test_a_preview_is_a_jpeg_cached_privately_never_publicly(agent_client, attachment):
    response = _get(agent_client, attachment)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    cache = response["Cache-Control"]
    assert "private" in cache and "max-age=" in cache and "public" not in cache
    assert "Cookie" in response["Vary"], "a language switch or another login is another picture"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert _image(response).format == "JPEG"


def test_a_cached_preview_is_revalidated_without_sending_it_again(agent_client, attachment):
    first = _get(agent_client, attachment)
    again = agent_client.get(reverse("tickets:attachment_preview", args=[attachment.pk]),
                             HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and "private" in again["Cache-Control"]
    assert AccessLog.objects.filter(action=AccessLog.Action.VIEW_PREVIEW).count() == 1, "only what was sent is logged"


def test_the_picture_follows_the_agents_language(agent_client, attachment):
    import numpy as np

    english = _get(agent_client, attachment)
    agent_client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/admin/"})
    chinese = _get(agent_client, attachment)
    assert english["ETag"] != chinese["ETag"]
    a, b = (np.asarray(_image(r).convert("L"), dtype=np.float32) for r in (english, chinese))
    band = slice(0, 30)  # the defect chips: "Glare" / "反光"
    assert a.shape[1] == b.shape[1] and np.abs(a[band] - b[band]).sum() > 1000


def test_previews_are_served_large_and_as_thumbnails(agent_client, attachment):
    large = _image(_get(agent_client, attachment))
    thumb = _image(_get(agent_client, attachment, size="thumb"))
    assert large.width == 800 and thumb.width == 360
    assert _get(agent_client, attachment, size="huge").status_code == 404
