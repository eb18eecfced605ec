"""ui.text.plain: text from outside shown as itself (the page-level checks are browser tests)."""

import re
import string

from ui.text import REPLACEMENT, WORD_JOINER, plain

WJ = WORD_JOINER


def shown(markdown):
    """What Markdown shows for a string of plain text and backslash escapes."""
    return re.sub(r"\\(.)", r"\1", markdown)


def test_every_punctuation_character_is_escaped():
    assert plain("a*b") == r"a\*b"
    assert plain("`x`") == r"\`x\`"
    assert plain("[site](evil)") == r"\[site\]\(evil\)"
    for char in string.punctuation:
        assert plain(char).replace(WJ, "") == "\\" + char  # "@" also gets a word joiner


def test_line_breaks_become_spaces_and_long_text_is_cut():
    assert plain("a\nb\r\nc") == "a b  c"
    assert plain("x" * 500, limit=10) == "x" * 10 + "…"
    assert plain(12) == "12"


def test_bare_addresses_get_a_word_joiner_so_they_are_not_made_links():
    # GFM finds https?://, www. and name@domain in the text after the escapes are undone
    assert plain("https://evil.example") == "https\\:" + WJ + r"\/\/evil\.example"
    assert shown(plain("see HTTP://x.example and WWW.x.example or me@x.example")) == \
        f"see HTTP:{WJ}//x.example and WWW{WJ}.x.example or me{WJ}@x.example"
    assert shown(plain("[x](https://evil.example)")) == f"[x](https:{WJ}//evil.example)"
    assert plain("ratio 1:2, file.csv") == r"ratio 1\:2\, file\.csv"  # nothing else changes


def test_control_and_reordering_characters_are_shown_as_a_replacement_mark():
    assert plain("a\u202eb\u2066c\x07d\x7fe\x85f") == "a{0}b{0}c{0}d{0}e{0}f".format(REPLACEMENT)
    assert plain("é 中 👍") == "é 中 👍"


def test_what_is_shown_is_the_text_itself():
    text = "**bold** `code` :red[x] $x^2$ <b>x</b> ![i](https://evil.example/i.png)"
    assert shown(plain(text, limit=500)).replace(WJ, "") == text
