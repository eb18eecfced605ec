"""Presenter mode's address key belongs to the frame: the playground's link reader ignores it."""

from ui import presenter, url_state


def test_present_1_is_not_an_unknown_playground_setting():
    assert presenter.URL_KEY in url_state.FRAME_KEYS
    _, _, notes = url_state.settings_from_url({"present": "1", "noise": "10"})
    assert notes == []
    _, _, notes = url_state.settings_from_url({"present": "1", "nonsense": "1"})
    assert len(notes) == 1 and "present" not in notes[0]


def test_the_style_grows_the_text_only_in_presenter_mode():
    assert presenter.style(False).startswith("<style>") and "22px" not in presenter.style(False)
    assert "@media (max-width: 1100px)" in presenter.style(False)
    assert "font-size: 22px" in presenter.style(True)
    assert ".js-plotly-plot" in presenter.style(True) and ".js-plotly-plot" not in presenter.style(False)
