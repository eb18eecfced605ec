r"""Numbers and formulas as a learner reads them: short numbers, LaTeX, percentages.

    >>> number(0.30000000000000004)
    '0.3'
    >>> latex_number(4.616e-08)
    '4.616 \\times 10^{-8}'
    >>> signed(-1.0)
    '(-1)'
    >>> percent_text(3, 4)
    '75% (3 of 4)'

Only formatting: every number shown comes from the engine.
"""

import math

import numpy as np

ROUNDING_DUST = 1e-12  # smaller numbers are shown as 0 (and count as "on the line")


def number(value, digits=4):
    """A short, readable number: 0.3, -1, 0.0004213 (4 significant digits).

    Rounding dust below 1e-12 shows as 0: ten steps of 0.1 leave w = -2.8e-17, not 0.
    """
    if abs(value) < ROUNDING_DUST:
        value = 0.0
    text = f"{value:.{digits}g}"
    return "0" if text == "-0" else text


def latex_number(value):
    """A number for a LaTeX formula: 0.3, or 4.616 \\times 10^{-8} instead of 4.616e-08."""
    text = number(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def signed(value):
    """A number ready to follow an operator in a formula: (-1) in parentheses, 0.3 bare."""
    text = latex_number(value)
    return f"({text})" if text.startswith("-") else text


def percent(correct, total):
    """'100%' only when every point is right: rounded down, never up to 100."""
    return f"{100 if correct == total else math.floor(100.0 * correct / total)}%"


def percent_text(correct, total):
    """'75% (3 of 4)'."""
    return f"{percent(correct, total)} ({correct} of {total})"


def unit_formula(step_unit, w, b):
    """LaTeX for one unit with its numbers: step(0.3 x1 - 0.6 x2 + 0.1), or with σ.

    step_unit: True for the perceptron's step, False for the sigmoid neuron's σ.
    """
    f = r"\mathrm{step}" if step_unit else r"\sigma"
    terms = (f"{number(w[0])}\\,x_1 {'-' if w[1] < 0 else '+'} {number(abs(w[1]))}\\,x_2 "
             f"{'-' if b < 0 else '+'} {number(abs(b))}")
    return rf"\hat y = {f}\left({terms}\right)"


def last_update_latex(trace):
    """One update with its numbers, one row per parameter: w1 <- 0.3 - 0.1 x (-1) = 0.4.

    trace: an engine.units update trace (lr, w_before, b_before, grad_w, grad_b, w, b).
    """
    eta = latex_number(trace["lr"])
    names = ("w_1", "w_2", "b")
    befores = (*trace["w_before"], trace["b_before"])
    grads = (*trace["grad_w"], trace["grad_b"])
    afters = (*trace["w"], trace["b"])
    rows = [
        rf"{name} &\leftarrow {latex_number(before)} - {eta} \times {signed(grad)} "
        rf"= {latex_number(after)}"
        for name, before, grad, after in zip(names, befores, grads, afters)
    ]
    return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"


def latex_matrix(m, digits=2):
    """A NumPy vector or matrix as a LaTeX bmatrix: [[1, 2]] -> bmatrix 1.00 & 2.00."""
    m = np.atleast_2d(m)
    rows = [" & ".join(f"{v:.{digits}f}" for v in row) for row in m]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"
