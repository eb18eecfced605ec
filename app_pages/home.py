"""Home: the learning path, one short sentence per step, with a link to each page."""

import streamlit as st

st.title("Neural Network Playground", anchor=False)
st.markdown(
    "Watch a neural network learn, one small step at a time. "
    "Follow the four steps in order, or jump to any of them."
)

# (page file, step title, what the learner does there)
LEARNING_PATH = [
    (
        "app_pages/activations.py",
        "Activation functions",
        "A neuron adds up its inputs, then squashes the sum. "
        "Meet the functions that do the squashing, and their slopes.",
    ),
    (
        "app_pages/perceptron.py",
        "One neuron & the perceptron",
        "One neuron draws one straight line. Train it on logic gates "
        "(AND, OR, XOR) and on clouds of points: where is one line not enough?",
    ),
    (
        "app_pages/mnist.py",
        "Train on MNIST",
        "Stack neurons in layers and teach them to read handwritten digits. "
        "Watch the loss fall and the accuracy rise.",
    ),
    (
        "app_pages/draw.py",
        "Draw a digit",
        "Draw a number yourself and see what your trained network thinks it is.",
    ),
]


# Two steps per row, each in a bordered card: number and title, one sentence, a link.
for row_start in range(0, len(LEARNING_PATH), 2):
    cards = st.columns(2, border=True)
    for card, step in zip(cards, range(row_start, row_start + 2)):
        page_file, title, sentence = LEARNING_PATH[step]
        with card:
            st.subheader(f"{step + 1}. {title}", anchor=False)
            st.markdown(sentence)
            st.page_link(page_file, label=f"Start step {step + 1}", icon=":material/arrow_forward:")

with st.container(border=True):
    text, link = st.columns([3, 1], vertical_alignment="center")
    text.markdown("**Free play:** build your own network and watch it learn.")
    link.page_link("app_pages/playground.py", label="Network playground", icon=":material/hub:")

st.caption(
    "Every number on these pages comes from a small NumPy engine "
    "(the `engine/` folder) that you can read like a textbook."
)
