"""The app side between the pages and the engine (may import Streamlit; holds no maths).

Shared by several pages:
    catalog.py       the pages, and a label for every engine registry name
    state.py         each page's session state as one object; the session's shelf of models
    live.py          play / pause / step in chunks, with one lock per session
    charts.py        plotly figures
    pictures.py      fast PNG / SVG / HTML pictures for live views, the network graph
    colours.py       the class and line colours of every chart and picture
    formulas.py      numbers and LaTeX as the pages write them
    xor_net.py       the 2-4-1 network that solves XOR (Activations and perceptron pages)

One page each:
    jobs.py          MNIST: training in the background (a job, its runs, step(), a fair gate)
    mnist_setup.py   MNIST: presets, checks of a configuration, runs' results and texts
    mnist_figures.py MNIST: the page's figures
    teaching.py      Draw a digit: reading a drawing, teaching the session's own copy
    neuron_runs.py   One neuron: its data sets and training runs
    neuron_views.py  One neuron: its figures, tables and texts
    url_state.py     Playground: its settings <-> the page's address, from one table
    networks.py      Playground: one network on the data, its model, trainer and curves
    playground_view.py  Playground: the live HTML of each network
"""
