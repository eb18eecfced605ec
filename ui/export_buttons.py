"""The download buttons of the MNIST page's Save & load tab and of the playground's controls.

ui/export.py builds the files (pure functions); these only offer them. Every
button builds its file when it is clicked (`data=` a function), not on every
run of the page, and a click does not rerun the page (on_click="ignore").
"""

import streamlit as st

from engine import save_model
from ui import export
from ui import mnist_setup as setup
from ui.url_state import KEY

PLAYGROUND_KEY = KEY + "_export"  # as the page's other buttons: playground__play, ...


def mnist_downloads(run):
    """The chosen kept run: its model (.npz), and the whole run (.zip)."""
    sizes = "-".join(map(str, run.model.sizes))
    st.download_button(
        "Download the model (.npz)", data=lambda: save_model(run.model),
        file_name=f"mnist-{run.name.lower().replace(' ', '')}-{sizes}.npz",
        mime="application/octet-stream", key="mnist_download",
        icon=":material/download:", on_click="ignore")
    st.caption(setup.SAVE_CAPTION)
    st.download_button(
        "Download the whole run (.zip)", data=lambda: export.mnist_zip(run),
        file_name=export.mnist_file_name(run), mime="application/zip", key="mnist_export",
        icon=":material/folder_zip:", on_click="ignore")
    st.caption(export.UPLOADED_CAPTION if run.status == "uploaded" else export.MNIST_CAPTION)


def playground_download(where, page, data, shared, nets, active):
    """The playground's Export button, in `where` (a column of the page's controls).

    The zip is built when it is clicked, from the networks as they are then:
    under the page's live.turn(), so never while a frame trains them.
    """
    def build():
        with page.live.turn():
            runs = {c: page.runs[c] for c in active if c in page.runs}
            return export.playground_zip(runs, data, shared, nets)

    where.download_button(
        "Export", data=build, file_name=export.playground_file_name(shared),
        mime="application/zip", key=PLAYGROUND_KEY, icon=":material/download:",
        on_click="ignore", disabled=data is None or not page.runs, width="stretch",
        help=export.PLAYGROUND_HELP)
