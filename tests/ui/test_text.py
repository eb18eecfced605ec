"""ui.text.plain: text from outside shown as itself (the page-level checks are browser tests)."""

import string

from ui.text import plain


def test_every_punctuation_character_is_escaped():
    assert plain("a*b") == r"a\*b"
    assert plain("`x`") == r"\`x\`"
    assert plain("[site](https://evil.example)") == r"\[site\]\(https\:\/\/evil\.example\)"
    for char in string.punctuation:
        assert plain(char) == "\\" + char


def test_line_breaks_become_spaces_and_long_text_is_cut():
    assert plain("a\nb\r\nc") == "a b  c"
    assert plain("x" * 500, limit=10) == "x" * 10 + "…"
    assert plain(12) == "12"
