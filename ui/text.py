"""Text from outside the app (a link's query keys, a file's name) shown as text, never as markup.

Streamlit renders the strings given to st.markdown, st.error, st.warning ...
as Markdown: a file named "**x** [site](https://...)" would become bold text
and a working link. plain() makes such a string safe to put in those calls:

    st.error(f"Could not use {plain(upload.name)}: ...")

Every ASCII punctuation character is escaped with a backslash (CommonMark
lets any of them be escaped, and an escaped character is always shown as
itself), line breaks become spaces, and long strings are cut.
"""

import string

_ESCAPES = {ord(c): "\\" + c for c in string.punctuation}
_ESCAPES.update({ord("\n"): " ", ord("\r"): " ", ord("\t"): " "})


def plain(value, limit=120):
    """`value` (any object, as str) as Markdown that shows exactly its characters, at most
    `limit` of them (then "…")."""
    text = str(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    return text.translate(_ESCAPES)
