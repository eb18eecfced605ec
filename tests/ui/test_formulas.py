"""ui.formulas: the numbers and LaTeX a learner reads, worked by hand."""

from ui.formulas import latex_number, last_update_latex, number, percent, percent_text, signed, unit_formula


def test_number_is_short_and_rounding_dust_shows_as_zero():
    assert number(0.1 + 0.2) == "0.3"  # 0.30000000000000004 in a computer
    assert number(-1.0) == "-1"
    assert number(0.0004213) == "0.0004213"
    assert number(2 / 3, 3) == "0.667"
    assert number(-2.8e-17) == "0"  # ten steps of 0.1 from -1, not exactly 0
    assert number(-0.0) == "0"
    assert number(12345.6) == "1.235e+04"


def test_latex_number_writes_powers_of_ten_and_signed_wraps_negatives():
    assert latex_number(4.616e-08) == r"4.616 \times 10^{-8}"
    assert latex_number(0.3) == "0.3"
    assert signed(-1.0) == "(-1)"
    assert signed(0.3) == "0.3"
    assert signed(-4.616e-08) == r"(-4.616 \times 10^{-8})"


def test_percent_never_rounds_up_to_100():
    assert percent(3, 4) == "75%"
    assert percent(199, 200) == "99%"  # 99.5% of the points: not all of them
    assert percent(2, 2) == "100%"
    assert percent(1, 3) == "33%"
    assert percent_text(3, 4) == "75% (3 of 4)"


def test_unit_formula_writes_the_signs_into_the_sum():
    assert unit_formula(True, [0.3, -0.6], 0.1) == (
        r"\hat y = \mathrm{step}\left(0.3\,x_1 - 0.6\,x_2 + 0.1\right)")
    assert unit_formula(False, [1.0, 1.0], -1.5) == (
        r"\hat y = \sigma\left(1\,x_1 + 1\,x_2 - 1.5\right)")


def test_last_update_latex_has_one_row_per_parameter_with_its_numbers():
    # The perceptron rule on the point (1, 0), target 1, said 0: dE/dw = -(1 - 0) x = (-1, 0),
    # dE/db = -1, so w1 = 0.3 - 0.1 * (-1) = 0.4, w2 stays -0.6, b = 0.1 - 0.1 * (-1) = 0.2.
    trace = {"lr": 0.1, "w_before": [0.3, -0.6], "b_before": 0.1, "grad_w": [-1.0, 0.0],
             "grad_b": -1.0, "w": [0.4, -0.6], "b": 0.2}
    assert last_update_latex(trace) == (
        r"\begin{aligned}"
        r"w_1 &\leftarrow 0.3 - 0.1 \times (-1) = 0.4 \\ "
        r"w_2 &\leftarrow -0.6 - 0.1 \times 0 = -0.6 \\ "
        r"b &\leftarrow 0.1 - 0.1 \times (-1) = 0.2"
        r"\end{aligned}")


def test_latex_matrix_writes_rows_with_the_digits_asked():
    from ui.formulas import latex_matrix
    assert latex_matrix([[1, 2], [3, 4.5]]) == r"\begin{bmatrix}1.00 & 2.00 \\ 3.00 & 4.50\end{bmatrix}"
    assert latex_matrix([0.12345], digits=3) == r"\begin{bmatrix}0.123\end{bmatrix}"
