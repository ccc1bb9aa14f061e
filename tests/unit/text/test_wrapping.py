"""Long unbroken strings get break opportunities; ordinary words, markup and entities stay whole."""

from markupsafe import Markup

from aicto.text.wrapping import LONGEST_RUN, breakable


def test_a_long_run_gets_a_break_every_few_characters_and_words_stay_whole():
    name = "N" * 120
    out = breakable(f"{name} and Full-time")
    assert out.replace("<wbr>", "") == f"{name} and Full-time"
    assert out.count("<wbr>") == 120 // LONGEST_RUN - 1 and "Full-time" in out


def test_text_is_escaped_and_markup_kept_with_entities_whole():
    assert breakable("<b>") == "&lt;b&gt;"
    out = breakable(Markup("<strong>") + "&" * 30 + Markup("</strong>"))
    assert out.startswith("<strong>") and out.endswith("</strong>")
    assert out.replace("<wbr>", "") == "<strong>" + "&amp;" * 30 + "</strong>"
    assert "&amp;<wbr>&amp;" in out  # the break falls between entities, never inside one
