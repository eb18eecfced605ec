"""The playground's "your own CSV file" and its crafted links, in AppTest: no traceback, clear
messages, outside text shown as typed, a file parsed once.

AppTest's uploader hands the page any content (it skips the browser's
max_upload_size check), as a client that bypasses the browser would: the
byte cap of engine.datasets.from_csv is what refuses a large file here.
"""

import re

import pytest
from streamlit.testing.v1 import AppTest

from engine import datasets
from ui import networks
from ui.state import PlaygroundState
from ui.text import WORD_JOINER

PAGE = "../../app_pages/playground.py"
TIMEOUT_S = 60
UPLOADER = "playground__csv"
CRAFTED_NAME = "**bold** [x](https://evil.example) ![i](https://evil.example/i.png) `c`.csv"
GOOD_ROWS = "".join(f"{i % 7 - 3},{i % 5 - 2},{i % 2}\n" for i in range(40)).encode()


def open_page(query):
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT_S)
    at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


def upload(at, name, content):
    at.file_uploader(key=UPLOADER).set_value((name, content, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def shown(markdown):
    """What Markdown shows of a message: backslash escapes undone, word joiners left out."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(WORD_JOINER, "")


def unescaped_markup(markdown):
    """Markdown's special characters outside backslash escapes and the page's own code spans
    (`x1, x2, label` and its example)."""
    frame = re.sub(r"`[0-9x., -]+(label)?`", "", re.sub(r"\\.", "", markdown, flags=re.S))
    return {char for char in frame if char in "`*_[]()!<>$~#|"}


def page_state(at):
    return at.session_state[PlaygroundState.KEY]


@pytest.mark.parametrize("content, reason", [
    (b"x1,x2,label\n1,2,0\n3,**four**,1\n", "line 3, column 2: '**four**' is not a number"),
    (b'"' + b"9" * 200_000 + b'",1,0\n1,2,1\n', "line 1 is 200,006 characters long"),
    (b"1,2,0\n" * 200_000, "the file is too large: 1,200,000 bytes (1.2 MB); at most "
                           "1,000,000 bytes (1 MB) are accepted"),
    (b"\xff\xfe\x00\xd8", "the file is not UTF-16 text"),
])
def test_a_bad_csv_gives_one_clear_message_naming_the_file_as_text(content, reason):
    at = upload(open_page({"data": "csv"}), CRAFTED_NAME, content)
    (error,) = at.error
    assert unescaped_markup(error.value) == set()
    message = shown(error.value)
    assert message.startswith(f"Could not use “{CRAFTED_NAME}”: ")
    assert reason in message
    assert "Expected one point per line as `x1, x2, label`" in message and "at most 1 MB" in message
    assert "could not be read" in "\n".join(i.value for i in at.info)
    assert not page_state(at).runs


def test_a_file_is_parsed_once_even_when_it_cannot_be_read(monkeypatch):
    calls = []
    from_csv = datasets.from_csv

    def counting(content, *args, **kwargs):
        calls.append(len(content))
        return from_csv(content, *args, **kwargs)

    monkeypatch.setattr(datasets, "from_csv", counting)
    at = upload(open_page({"data": "csv"}), "bad.csv", b"1,2,0\n3,x,1\n")
    at.run()
    at.button(key="playground__step").click().run()
    assert len(calls) == 1 and len(at.error) == 1
    at = upload(at, "good.csv", GOOD_ROWS)  # a new file is read
    at.run()
    assert len(calls) == 2 and not at.error
    assert page_state(at).runs["a"].model.sizes == [2, 4, 2, 1]


def test_a_quoted_first_row_with_spaces_is_a_point():
    rows = '"1.5", "2.0", "1"\n' + GOOD_ROWS.decode()
    at = upload(open_page({"data": "csv", "train": "50"}), "quoted.csv", rows.encode())
    assert not at.error
    data = page_state(at).data
    assert len(data.X_train) + len(data.X_test) == 41  # no row taken for a header


def test_the_uploader_states_its_limits():
    at = open_page({"data": "csv"})
    uploader = at.file_uploader(key=UPLOADER)
    assert "at most 10,000 rows, 1 MB and 10 classes" in uploader.help
    assert networks.CSV_MAX_MB == 1 == datasets.MAX_CSV_BYTES // 10**6


def test_a_crafted_link_gives_a_warning_of_plain_text():
    query = {"`**bold**` [x](https://evil.example)": "1",
             "![i](https://evil.example/i.png)": "1",
             "hidden": "`**x**` :red[x] $x^2$ <b>x</b>", "k" * 100_000: "1"}
    query.update({f"junk{i:03d}": "1" for i in range(990)})  # Streamlit reads up to 1,000
    at = open_page(query)
    (warning,) = at.warning
    text = shown(warning.value)
    assert "“`**bold**` [x](https://evil.example)”" in text
    assert "`hidden` = “`**x**` :red[x] $x^2$ <b>x</b>”" in text
    assert "“junk000”, “junk001”, “junk002” and 988 more ignored." in text
    assert len(warning.value) < 2000
    for note in warning.value.split("\n- ")[1:]:
        frame = re.sub(r"`[a-z0-9_,.]+`", "", note)  # the page's own names and defaults
        assert unescaped_markup(frame) == set(), note
    assert not at.exception
