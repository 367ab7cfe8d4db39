"""The product's modules import without the drawing code of the demo and the evaluation sets."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_importing_the_product_brings_no_image_generator_and_no_opencv():
    code = (
        "import django; django.setup()\n"
        "import tickets.admin, tickets.tasks, tickets.models, tickets.evaluation, tickets.demo.mails\n"
        "import tickets.management.commands.load_demo, tickets.management.commands.generate_tickets\n"
        "import sys; print(sorted(m for m in ('cv2', 'demo.images', 'evalsets', 'evalsets.images') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={"DJANGO_SETTINGS_MODULE": "kyctriage.settings", "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "[]"


def test_the_demo_images_are_drawn_outside_the_product_package():
    from demo.images import make_id_document

    assert make_id_document.__module__ == "demo.images"
    assert not (ROOT / "tickets" / "demo" / "images.py").exists()
