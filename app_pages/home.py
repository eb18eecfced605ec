"""Home: the learning path, one short sentence per step, with a link to each page.

The steps and their sentences come from ui/catalog.py (LEARNING_PATH, FREE_PLAY),
the same list app.py builds the navigation from.
"""

import streamlit as st

from ui import catalog

st.title("Neural Network Playground", anchor=False)
st.markdown(
    "Watch a neural network learn, one small step at a time. "
    "Follow the steps in order, or jump to any of them."
)

# Two steps per row, each in a bordered card: number and title, one sentence, a link.
for row_start in range(0, len(catalog.LEARNING_PATH), 2):
    cards = st.columns(2, border=True)
    for card, step in zip(cards, catalog.LEARNING_PATH[row_start:row_start + 2]):
        number = catalog.LEARNING_PATH.index(step) + 1
        with card:
            st.subheader(f"{number}. {step.title}", anchor=False)
            st.markdown(step.summary)
            st.page_link(step.file, label=f"Start step {number}", icon=":material/arrow_forward:")

with st.container(border=True):
    free_play = catalog.FREE_PLAY
    text, link = st.columns([3, 1], vertical_alignment="center")
    text.markdown(f"**Free play:** {free_play.summary[0].lower()}{free_play.summary[1:]}")
    link.page_link(free_play.file, label=free_play.title, icon=free_play.icon)

st.caption(
    "Every number on these pages comes from a small NumPy engine "
    "(the `engine/` folder) that you can read like a textbook."
)
