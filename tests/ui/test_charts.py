"""charts.line_chart: the loss and accuracy curves every page draws."""

import numpy as np
import pytest

from ui import charts


def test_each_line_may_have_its_own_x_and_percent_scales_fractions():
    fig = charts.line_chart({"train": ([1, 2, 3], [0.5, 0.8, 0.9]), "test": ([0, 3], [0.1, 0.85])},
                           ylabel="accuracy", percent=True)
    train, test = fig.data
    assert (train.name, test.name) == ("train", "test")
    np.testing.assert_array_equal(train.x, [1, 2, 3])
    np.testing.assert_allclose(train.y, [50.0, 80.0, 90.0])
    np.testing.assert_array_equal(test.x, [0, 3])
    assert tuple(fig.layout.yaxis.range) == (0, 100) and fig.layout.yaxis.ticksuffix == "%"


def test_values_alone_are_drawn_over_1_2_3_or_the_shared_x():
    fig = charts.line_chart({"loss": [0.9, 0.5, 0.3]})
    np.testing.assert_array_equal(fig.data[0].x, [1, 2, 3])
    fig = charts.line_chart({"a": [3, 2], "b": [4, 1]}, x=[10, 20], xlabel="update")
    assert [list(trace.x) for trace in fig.data] == [[10, 20], [10, 20]]
    assert fig.layout.xaxis.title.text == "update"


def test_markers_only_on_short_lines_unless_a_mode_is_given():
    assert charts.line_chart({"a": np.zeros(30)}).data[0].mode == "lines+markers"
    assert charts.line_chart({"a": np.zeros(31)}).data[0].mode == "lines"
    assert charts.line_chart({"a": np.zeros(3)}, mode="lines").data[0].mode == "lines"


def test_x_max_fixes_the_frame_of_a_growing_curve():
    fig = charts.line_chart({"loss": ([], [])}, x_max=5)
    assert fig.layout.xaxis.range[0] == 0 and fig.layout.xaxis.range[1] == pytest.approx(5.1)


def test_x_of_the_wrong_length_is_an_error():
    with pytest.raises(ValueError, match="expected 3 values to match series 'a', got 2"):
        charts.line_chart({"a": [1, 2, 3]}, x=[1, 2])
