"""Neural Network Playground: the Streamlit frame around every page.

Run it with `streamlit run app.py`. This file only sets up what all pages
share (page config, navigation, a note in the sidebar); each page in `app_pages/`
is a thin script that reads its widgets, calls the NumPy engine in `engine/`
and draws the result with the helpers in `ui/`.
"""

from pathlib import Path

import numpy  # noqa: F401 - loaded now, so that threadpool_limits below finds its BLAS
import streamlit as st
from threadpoolctl import threadpool_limits

from ui import catalog, presenter


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
    # The tab's icon is a file the app serves itself (a ":material/...:" icon is fetched
    # from Google's font server: a classroom without internet would miss it). assets/README.md.
    page_icon=str(Path(__file__).resolve().parent / "assets" / "icon.png"),
    layout="wide",
)

# The pages come from one list, ui/catalog.py's PAGES (home and the tests read it too).
# Their folder is app_pages/, not pages/: Streamlit's legacy auto-discovery would run
# pages/playground.py without this frame when a fresh server's first visitor opens /playground?...
PAGES = [
    st.Page(info.file, title=info.title, icon=info.icon, url_path=info.url_path or None,
            default=not info.url_path)
    for info in catalog.PAGES
]

# Presenter mode (ui/presenter.py): the page list at the top, the sidebar closed.
presenting = presenter.active()
st.set_page_config(initial_sidebar_state="collapsed" if presenting else "auto")
st.html(presenter.style(presenting))
page = st.navigation(PAGES, position="top" if presenting else "sidebar")
if page.url_path:  # every page but home (whose url path is "")
    # The browser tab names the page too: "Train on MNIST · Neural Network Playground".
    st.set_page_config(page_title=f"{page.title} · Neural Network Playground")

with st.sidebar:
    presenter.switch()
    st.caption(
        "**Neural Network Playground** lets you watch small neural networks "
        "learn, step by step. Every number on these pages is computed by a "
        "small NumPy engine (the `engine/` folder) that you can read like a "
        "textbook: no deep-learning library is hidden behind it."
    )

page.run()
