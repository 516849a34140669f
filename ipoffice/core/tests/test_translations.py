"""The Chinese interface is complete and the compiled catalogue matches its source."""

from pathlib import Path

import polib
import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_is_translated():
    po = polib.pofile(str(LOCALE / "django.po"))
    assert len(po) > 100
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_compiled_catalogue_is_up_to_date():
    po = {e.msgid: e.msgstr or e.msgstr_plural for e in polib.pofile(str(LOCALE / "django.po"))}
    mo = {e.msgid: e.msgstr or e.msgstr_plural for e in polib.mofile(str(LOCALE / "django.mo")) if e.msgid}
    assert mo == po, "run compilemessages: django.mo is older than django.po"


@pytest.mark.parametrize(("english", "chinese"), [("Regions", "地区"), ("Log in", "登录"), ("entity", "主体")])
def test_chinese_is_the_default_language(english, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(english) == chinese
    with translation.override("en"):
        assert translation.gettext(english) == english
