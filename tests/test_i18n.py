"""Every string the project adds has a Simplified Chinese translation."""

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_the_chinese_catalogue_has_no_untranslated_or_fuzzy_entry():
    text = PO.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first block is the header
    untranslated = [e for e in entries if re.search(r'^msgstr(\[0\])? ""\s*$', e, re.M)
                    and not re.search(r'^"', e.split("msgstr", 1)[1], re.M)]
    assert not untranslated, "untranslated: %s" % untranslated[:3]
    assert "#, fuzzy" not in text


def test_labels_of_the_taxonomy_are_translated():
    from tickets.taxonomy import Category, Defect

    with translation.override("zh-hans"):
        assert str(Category.FACE_RECOGNITION_FAILED.label) == "面部识别失败"
        assert str(Defect.GLARE.label) == "反光"
