"""The look on a projector, and presenter mode for the front of a classroom.

    presenting = presenter.active()      # ?present=1 in the address, or the sidebar's switch
    st.html(presenter.style(presenting)) # once per run, from app.py

Every page gets PROJECTOR_CSS: half of Streamlit's top margin; below 1300 px
of width (1280×720 and 1024×768 are common projector modes) the side margins
shrink, below 800 px of height the top margin nearly goes, and below 1100 px
the sidebar is narrower, so the main picture and its buttons keep their room.

Presenter mode is for a class watching one screen: the page list moves to a
bar at the top, the sidebar starts closed (its arrow opens it again; the
settings there still work), and text and buttons are larger for the back of
the room. It is on for the whole session once a page's address has
`present=1` (a teacher prepares links; the playground's shareable links keep
it), or once the switch in the sidebar is on; the switch turns it off.
"""

import streamlit as st

URL_KEY = "present"  # ?present=1 in any page's address
SESSION_KEY = "presenter_mode"  # the sidebar switch's key: the session's choice

PROJECTOR_CSS = """
[data-testid="stMainBlockContainer"] { padding-top: 3rem; }  /* Streamlit's 6rem: wasted */
@media (max-width: 1300px) {
  [data-testid="stMainBlockContainer"] {
    padding-left: 1.5rem; padding-right: 1.5rem; padding-top: 2.5rem;
  }
}
@media (max-height: 800px) {
  [data-testid="stMainBlockContainer"] { padding-top: 0.5rem; }
  [data-testid="stMainBlockContainer"] h1 { font-size: 2rem; padding-top: 0.5rem; }
}
@media (max-width: 1300px) {
  .katex-display > .katex { font-size: 1em; }  /* KaTeX's 1.21em makes wide formulas overflow */
}
@media (max-width: 1100px) {
  .katex-display > .katex { font-size: 0.92em; }
  section[data-testid="stSidebar"][data-collapsed="false"] {
    width: 270px !important; min-width: 270px !important;
  }
  [data-testid="stMainBlockContainer"] h1 { font-size: 2.2rem; }
}
"""

PRESENTER_CSS = """
html { font-size: 22px !important; }
[data-testid="stMainBlockContainer"] {
  padding-left: 1.5rem; padding-right: 1.5rem; padding-top: 3.5rem; max-width: 100%;
}
[data-testid="stMainBlockContainer"] .stButton button { min-height: 3rem; font-size: 1.1rem; }
/* plotly writes each text's size on the element; a fifth larger for the back of the room */
.js-plotly-plot .main-svg text { font-size: 20px !important; }
.js-plotly-plot .main-svg .gtitle { font-size: 22px !important; }
.js-plotly-plot .main-svg .legend text { font-size: 17px !important; }  /* laid out for its size */
"""


def active():
    """Presenter mode for this session: the switch's value, first set from the address."""
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = st.query_params.get(URL_KEY) == "1"
    return bool(st.session_state[SESSION_KEY])


def url_params():
    """What the frame keeps in the address: {"present": "1"} while presenting, else {}."""
    return {URL_KEY: "1"} if active() else {}


def switch():
    """The sidebar's switch (and the address follows it, so the link can be shared)."""
    st.toggle("Presenter mode", key=SESSION_KEY, on_change=_follow_in_address,
              help="For a projector: larger text and buttons, the page list at the top, this "
                   "sidebar closed (its arrow opens it again). Add present=1 to a page's "
                   "address to open it this way.")


def _follow_in_address():
    if st.session_state[SESSION_KEY]:
        st.query_params[URL_KEY] = "1"
    else:
        st.query_params.pop(URL_KEY, None)


def style(presenting):
    """The <style> every page gets (st.html puts style-only HTML where it takes no space)."""
    return f"<style>{PROJECTOR_CSS}{PRESENTER_CSS if presenting else ''}</style>"
