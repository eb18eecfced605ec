"""The app frame (app.py) opens on the home page, which shows the learning path.

The pages come from ui/catalog.py, the list app.py builds its navigation from.
"""

import pytest
from streamlit.testing.v1 import AppTest

from ui import catalog

# AppTest.from_file resolves a relative path against this file.
APP = "../../app.py"


@pytest.fixture(scope="module")
def home():
    app = AppTest.from_file(APP, default_timeout=30)
    app.run()
    return app


def test_the_catalogue_has_home_first_then_the_path_then_free_play():
    assert catalog.PAGES[0].url_path == ""
    assert [p.url_path for p in catalog.LEARNING_PATH] == ["activations", "perceptron",
                                                           "backprop", "from-scratch", "mnist", "draw"]
    assert catalog.FREE_PLAY.url_path == "playground"
    assert all(p.summary for p in catalog.PAGES[1:])  # home shows a sentence for each


def test_home_runs_without_exception(home):
    assert not home.exception
    assert [title.value for title in home.title] == ["Neural Network Playground"]


def test_home_shows_the_steps_in_order(home):
    steps = [subheader.value for subheader in home.subheader]
    assert steps == [f"{number}. {step.title}"
                     for number, step in enumerate(catalog.LEARNING_PATH, start=1)]
    text = " ".join(markdown.value for markdown in home.markdown)
    for step in catalog.LEARNING_PATH:
        assert step.summary in text


def test_home_links_every_step_then_the_playground(home):
    targets = [link.proto.page for link in home.get("page_link")]
    assert targets == [step.url_path for step in catalog.LEARNING_PATH] + ["playground"]


def test_sidebar_says_where_the_numbers_come_from(home):
    sidebar_text = " ".join(caption.value for caption in home.sidebar.caption)
    assert "NumPy engine" in sidebar_text
    assert "`engine/`" in sidebar_text
