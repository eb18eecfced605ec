"""Neural Network Playground: the Streamlit frame around every page.

Run it with `streamlit run app.py`. This file only sets up what all pages
share (page config, navigation, a note in the sidebar); each page in `app_pages/`
is a thin script that reads its widgets, calls the NumPy engine in `engine/`
and draws the result with the helpers in `ui/`.
"""

import numpy  # noqa: F401 - loaded now, so that threadpool_limits below finds its BLAS
import streamlit as st
from threadpoolctl import threadpool_limits


@st.cache_resource
def one_blas_thread_per_computation():
    """Make NumPy's BLAS use one thread, for the whole server, once.

    The server is shared: several learners train at once, each in their own
    thread. With OpenBLAS's default of one thread per core, every matrix
    product would also be split across the cores, and on a small host those
    threads wait for each other: five sessions training together slowed down
    many times over, and the playground's tiny products cost 54 ms of server
    CPU per frame instead of 11. One learner alone trains MNIST about 1.3x
    slower this way. Set once, process-wide, so no session changes it for another.
    """
    return threadpool_limits(limits=1, user_api="blas")


one_blas_thread_per_computation()
st.set_page_config(
    page_title="Neural Network Playground",
    page_icon=":material/neurology:",
    layout="wide",
)

# The learning path, in order. The url paths are stable: links and tests use them.
PAGES = [
    st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True),
    st.Page(
        "app_pages/activations.py",
        title="Activation functions",
        icon=":material/show_chart:",
        url_path="activations",
    ),
    st.Page(
        "app_pages/perceptron.py",
        title="One neuron & the perceptron",
        icon=":material/scatter_plot:",
        url_path="perceptron",
    ),
    st.Page(
        "app_pages/mnist.py",
        title="Train on MNIST",
        icon=":material/model_training:",
        url_path="mnist",
    ),
    st.Page(
        "app_pages/draw.py",
        title="Draw a digit",
        icon=":material/draw:",
        url_path="draw",
    ),
    st.Page(
        "app_pages/playground.py",
        title="Network playground",
        icon=":material/hub:",
        url_path="playground",
    ),
]

page = st.navigation(PAGES, position="sidebar")
if page.url_path:  # every page but home (whose url path is "")
    # The browser tab names the page too: "Train on MNIST · Neural Network Playground".
    st.set_page_config(page_title=f"{page.title} · Neural Network Playground")

with st.sidebar:
    st.caption(
        "**Neural Network Playground** lets you watch small neural networks "
        "learn, step by step. Every number on these pages is computed by a "
        "small NumPy engine (the `engine/` folder) that you can read like a "
        "textbook: no deep-learning library is hidden behind it."
    )

page.run()
