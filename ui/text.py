"""Text from outside the app (a link's query keys, a file's name) shown as text, never as markup.

Streamlit renders the strings given to st.markdown, st.error, st.warning ...
as Markdown: a file named "**x** [site](https://...)" would become bold text
and a working link. plain() makes such a string safe to put in those calls:

    st.error(f"Could not use {plain(upload.name)}: ...")

Every ASCII punctuation character is escaped with a backslash (CommonMark
lets any of them be escaped, and an escaped character is always shown as
itself), line breaks become spaces, and long strings are cut.

Escapes are not enough for one thing: Streamlit (remark-gfm) turns bare
addresses into links after parsing, in the text itself, so
"https\\:\\/\\/evil\\.example" would still become a link. An invisible word
joiner (U+2060) goes where those patterns need two characters side by side:
between ":" and "//", between "www" and ".", before "@". What is shown looks
the same, and is not a link. Control characters and the invisible characters
that reorder text (right-to-left overrides) are shown as "�".

Checked in Chromium (tests/browser/test_hostile_text.py): **bold**, links,
images, `code`, bare URLs, www. and e-mail addresses, :red[colour] and
:material/icons:, $math$ and <b>HTML</b> are all shown as typed.
"""

import re
import string
import unicodedata

WORD_JOINER = "\u2060"
REPLACEMENT = "\ufffd"
_ESCAPES = {ord(c): "\\" + c for c in string.punctuation}
_ESCAPES.update({ord("\n"): " ", ord("\r"): " ", ord("\t"): " "})
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_ESCAPES.update({ord(c): REPLACEMENT for c in _BIDI})
_ESCAPES.update({i: REPLACEMENT for i in range(0x110) if i not in _ESCAPES
                 and unicodedata.category(chr(i)) == "Cc"})
# The places where GFM's autolink finder (https?://, www., name@domain) needs two
# characters side by side; it runs on the text after the escapes are undone.
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)")


def plain(value, limit=120):
    """`value` (any object, as str) as Markdown that shows exactly its characters, at most
    `limit` of them (then "…")."""
    text = str(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    return _AUTOLINK.sub(WORD_JOINER, text).translate(_ESCAPES)
