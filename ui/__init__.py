"""The app side between the pages and the engine (may import Streamlit; holds no maths).

    catalog.py   the pages, and a label for every engine registry name
    state.py     each page's session state as one object; the session's shelf of models
    url_state.py the playground's settings <-> the page's address, from one table
    live.py      play / pause / step in chunks, for the perceptron page and the playground
    jobs.py      MNIST training in the background: a job, its runs, step()
    charts.py    plotly figures shared by the pages
    pictures.py  fast PNG / SVG / HTML pictures for live views, the network graph
    colours.py   the class and line colours of every chart and picture
"""
