"""The learned models page says which shipped base model stands behind the agents' versions."""

import pytest
from django.utils import translation

from tickets.triage.base_model import default_base_model

pytestmark = pytest.mark.django_db


def test_the_models_page_names_the_shipped_base_model_what_it_was_fitted_on_and_what_it_decides(admin_client):
    base = default_base_model()
    html = admin_client.get("/admin/tickets/triagemodel/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Shipped base model %s" % base.version in html
    assert "tune part (%d tickets)" % base.n_examples in html
    assert "from p ≥ %.2f" % sorted(base.gates.items())[0][1] in html
    with translation.override("zh-hans"):
        html = admin_client.get("/admin/tickets/triagemodel/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "基础模型 %s" % base.version in html
