"""ui/catalog.py knows every engine name, and every page offers every name of each kind.

Three layers of proof:

1. every name in each engine registry (activations, losses, optimizers, 2-D
   data sets, input features) has a label in the catalogue (activations a
   formula too), and the page list is sound;
2. each page that offers a kind of choice offers every registered name of it
   (AppTest shows a choice's options as their labels);
3. the real proof: a NEW activation, optimizer and 2-D data set registered in
   the engine at test time (AppTest runs each page in this process, so the
   pages see the patched registries) appear on every page, with no page edit,
   and choosing them works.
"""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from engine import activations, datasets, features, losses, optimizers
from ui import catalog, state

REPO_ROOT = Path(__file__).resolve().parents[2]
# AppTest.from_file resolves a relative path against this file.
PAGES = {info.url_path: f"../../{info.file}" for info in catalog.PAGES}
TIMEOUT_S = 120  # the MNIST page loads the data set on its first run

LABELS = {
    "activation": catalog.ACTIVATION_LABELS,
    "loss": catalog.LOSS_LABELS,
    "optimizer": catalog.OPTIMIZER_LABELS,
    "dataset": catalog.DATASET_LABELS,
    "feature": catalog.FEATURE_LABELS,
}
REGISTRIES = {
    "activation": activations.ACTIVATIONS,
    "loss": losses.LOSSES,
    "optimizer": optimizers.OPTIMIZERS,
    "dataset": datasets.PLANE_DATASETS,
    "feature": features.FEATURES,
}


# --- 1. the catalogue itself -----------------------------------------------------

@pytest.mark.parametrize("kind", list(REGISTRIES))
def test_every_registered_name_has_a_label(kind):
    assert catalog.registry(kind) is REGISTRIES[kind]
    missing = [name for name in REGISTRIES[kind] if name not in LABELS[kind]]
    assert not missing, f"add a label to ui/catalog.py for the {kind} names {missing}"
    for name in REGISTRIES[kind]:
        assert catalog.label(kind, name) == LABELS[kind][name]
        assert catalog.labeller(kind)(name) == LABELS[kind][name]


@pytest.mark.parametrize("kind", list(REGISTRIES))
def test_no_label_is_left_over_from_a_name_the_engine_dropped(kind):
    stale = [name for name in LABELS[kind] if name not in REGISTRIES[kind]]
    assert not stale, f"ui/catalog.py labels {kind} names the engine does not register: {stale}"


def test_every_activation_has_its_formula_and_derivative():
    for name in activations.ACTIVATIONS:
        value, slope = catalog.formula(name)
        assert value.strip() and slope.strip(), name
    assert catalog.formula("no such activation") is None


def test_an_unknown_name_is_shown_as_it_is_written():
    assert catalog.label("activation", "softsign") == "softsign"


def test_choices_are_built_from_the_registries():
    assert catalog.activation_names() == list(activations.ACTIVATIONS)
    hidden = catalog.hidden_activations()
    assert sorted(hidden) == sorted(set(activations.ACTIVATIONS) - set(catalog.NOT_HIDDEN))
    assert hidden[:3] == ["sigmoid", "tanh", "relu"]  # the common ones first
    assert set(catalog.HIDDEN_ORDER) <= set(activations.ACTIVATIONS)
    assert catalog.optimizer_names() == list(optimizers.OPTIMIZERS)
    assert catalog.plane_datasets() == list(datasets.PLANE_DATASETS)
    assert catalog.plane_datasets(max_classes=2) == [
        name for name, spec in datasets.PLANE_DATASETS.items() if spec.classes == 2]
    assert "spiral3" not in catalog.plane_datasets(max_classes=2)
    assert catalog.feature_names() == list(features.FEATURES)


def test_the_page_list_is_sound():
    paths = [info.url_path for info in catalog.PAGES]
    assert paths[0] == "" and len(set(paths)) == len(paths)
    for info in catalog.PAGES:
        assert (REPO_ROOT / info.file).is_file(), info.file
        assert info.file.startswith("app_pages/"), "not pages/: see app.py"
        assert info.title and info.icon.startswith(":material/")
    assert catalog.page("draw").title == "Draw a digit"
    assert catalog.FREE_PLAY in catalog.PAGES
    assert all(step in catalog.PAGES for step in catalog.LEARNING_PATH)


# --- 2. every page offers every registered name -------------------------------------

def run_page(url_path, query=None):
    at = AppTest.from_file(PAGES[url_path], default_timeout=TIMEOUT_S)
    at.query_params.update(query or {})
    at.run()
    assert not at.exception, at.exception
    return at


def labels(kind, names):
    return [catalog.label(kind, name) for name in names]


def pills(at, key):
    """The st.pills widget with this key (AppTest calls it a button group)."""
    return next(element for element in at.get("button_group") if element.key == key)


def activations_page_offers_every_name(at):
    assert at.multiselect(key="activations_selected").options == \
        labels("activation", catalog.activation_names())
    xor_choices = at.radio(key="activations_xor_hidden").options
    assert sorted(xor_choices) == sorted(labels("activation", catalog.hidden_activations()))


def mnist_page_offers_every_name(at):
    assert at.selectbox(key="mnist_w_activation").options == \
        labels("activation", catalog.hidden_activations())
    for key in ("mnist_w_optimizer", "mnist_w_optimizer2"):
        offered = at.selectbox(key=key).options
        missing = [name for name in catalog.optimizer_names()
                   if catalog.label("optimizer", name) not in offered]
        assert not missing, f"{key} does not offer {missing}"


def playground_offers_every_name(at):
    assert at.selectbox(key="playground_a_act0").options == \
        labels("activation", catalog.hidden_activations())
    assert at.selectbox(key="playground_a_opt").options == \
        labels("optimizer", catalog.optimizer_names())
    offered = at.selectbox(key="playground_data").options
    assert offered[:len(catalog.plane_datasets())] == labels("dataset", catalog.plane_datasets())
    assert len(offered) == len(catalog.plane_datasets()) + 1  # and "your own CSV"
    assert pills(at, "playground_a_inputs").options == labels("feature", catalog.feature_names())


def perceptron_page_offers_every_name(at):
    offered = at.selectbox(key="perceptron_dataset").options
    missing = [name for name in catalog.plane_datasets(max_classes=2)
               if catalog.label("dataset", name) not in offered]
    assert not missing, f"the perceptron page does not offer {missing}"


def backprop_page_offers_every_name(at):
    assert at.selectbox(key="bp_hidden_act").options == \
        labels("activation", catalog.hidden_activations())


# Each page that offers a kind of choice, and the check that it offers every name.
CHOOSING_PAGES = {
    "activations": activations_page_offers_every_name,
    "mnist": mnist_page_offers_every_name,
    "playground": playground_offers_every_name,
    "perceptron": perceptron_page_offers_every_name,
    "backprop": backprop_page_offers_every_name,
}


@pytest.mark.parametrize("url_path", list(CHOOSING_PAGES))
def test_every_page_offers_every_registered_name(url_path):
    CHOOSING_PAGES[url_path](run_page(url_path))


# --- 3. a name added to an engine registry reaches every page --------------------------

class Softsign(activations.Activation):
    """f(x) = x / (1 + |x|); f'(x) = 1 / (1 + |x|)²: an activation the engine does not have."""

    name = "softsign"
    output_range = "(-1, 1)"
    zero_centred = True
    saturates = True
    used_for = "A test's activation: registered only while tests/ui/test_catalog.py runs."

    def fn(self, x):
        return x / (1 + np.abs(x))

    def grad(self, x):
        return 1 / (1 + np.abs(x)) ** 2


class PlainSGD(optimizers.SGD):
    """SGD under another name; remembers each instance, so a test sees who trained with it."""

    name = "plain_sgd"
    made = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        PlainSGD.made.append(self)


def stripes(n_points, noise, seed):
    """Vertical stripes: class 1 where sin(x1) > 0. Records each call in stripes.calls."""
    stripes.calls.append((n_points, noise, seed))
    rng = np.random.default_rng(seed)
    X = rng.uniform(-6.0, 6.0, (n_points, 2)).astype(np.float32)
    y = (np.sin(X[:, 0]) > 0).astype(np.int64)
    flip = rng.random(n_points) < noise / 2
    return X, np.where(flip, 1 - y, y)


@pytest.fixture
def new_names(monkeypatch):
    """softsign, plain_sgd and stripes in the engine's registries for one test, then gone."""
    PlainSGD.made = []
    stripes.calls = []
    monkeypatch.setitem(activations.ACTIVATIONS, "softsign", Softsign)
    monkeypatch.setitem(optimizers.OPTIMIZERS, "plain_sgd", PlainSGD)
    monkeypatch.setitem(datasets.PLANE_DATASETS, "stripes",
                        datasets.PlaneDataset(stripes, (-6.0, 6.0), classes=2))
    yield
    assert "softsign" not in catalog.ACTIVATION_LABELS  # no page or module wrote a label in


@pytest.mark.parametrize("url_path", list(CHOOSING_PAGES))
def test_new_engine_names_appear_on_every_page(new_names, url_path):
    assert "softsign" in catalog.hidden_activations()
    assert "plain_sgd" in catalog.optimizer_names()
    assert "stripes" in catalog.plane_datasets(max_classes=2)
    at = run_page(url_path)
    CHOOSING_PAGES[url_path](at)
    offered = " ".join(" ".join(map(str, getattr(widget, "options", []) or []))
                       for widget in at.get("selectbox") + at.get("multiselect") + at.get("radio"))
    wanted = {"activations": ["softsign"], "mnist": ["softsign", "plain_sgd"],
              "playground": ["softsign", "plain_sgd", catalog.label("dataset", "stripes")],
              "perceptron": [catalog.label("dataset", "stripes")],
              "backprop": ["softsign"]}[url_path]
    for name in wanted:
        assert name in offered, f"the {url_path} page does not offer {name!r}"


def test_a_new_activation_is_drawn_tabulated_and_trained_on_xor(new_names):
    at = run_page("activations")
    at.multiselect(key="activations_selected").set_value(["tanh", "softsign"]).run()
    assert not at.exception, at.exception
    value_chart = next(c for c in at.get("plotly_chart")
                       if c.proto.id.endswith("-activations_value_chart"))
    assert '"name":"softsign"' in value_chart.proto.spec.replace(" ", "")
    table = next(t.value for t in at.dataframe if "name in code" in t.value.columns)
    assert list(table["name in code"]) == ["tanh", "softsign"]
    assert any("engine/activations.py" in m.value for m in at.markdown)  # no formula yet: said so
    at.radio(key="activations_xor_hidden").set_value("softsign").run()
    assert not at.exception, at.exception
    assert any(m.label == "Accuracy on XOR" for m in at.metric)


def test_the_playground_trains_on_a_new_data_set_with_a_new_activation_and_optimizer(new_names):
    at = run_page("playground", {"data": "stripes", "act": "softsign", "opt": "plain_sgd"})
    assert not at.warning, [w.value for w in at.warning]  # no "unknown value, fell back" note
    assert at.selectbox(key="playground_data").value == "stripes"
    assert at.selectbox(key="playground_a_act0").value == "softsign"
    assert at.selectbox(key="playground_a_opt").value == "plain_sgd"
    assert stripes.calls, "the page did not make its points with the new data set"
    assert at.query_params["data"] == "stripes"  # the link keeps it
    made = len(PlainSGD.made)
    assert made, "the network's trainer was not built with the new optimizer"
    at.button(key="playground__step").click().run()
    assert not at.exception, at.exception
    assert len(PlainSGD.made) == made  # the same trainer took the step
    assert PlainSGD.made[-1].t > 0, "the new optimizer took no step"
    html = "".join(h.value for h in at.html)
    assert 'data-pg="epoch">1<' in html


def test_the_playground_offers_a_new_data_set_in_its_box(new_names):
    at = run_page("playground")
    at.selectbox(key="playground_data").set_value("stripes").run()
    assert not at.exception, at.exception
    assert stripes.calls
    assert at.query_params["data"] == "stripes"


def test_the_mnist_page_trains_with_a_new_optimizer_and_activation(new_names):
    at = run_page("mnist")
    at.selectbox(key="mnist_w_activation").set_value("softsign")
    at.selectbox(key="mnist_w_optimizer").set_value("plain_sgd")
    at.selectbox(key="mnist_w_train_size").set_value(1_000)
    at.button(key="mnist_train").click().run()  # the form's values count when it is submitted
    assert not at.exception, at.exception
    assert PlainSGD.made, "pressing Train did not build the new optimizer"
    shelf = None
    for _ in range(300):  # each script run lets the job go on: wait for its end, however long
        shelf = at.session_state[state.Shelf.KEY] if state.Shelf.KEY in at.session_state else None
        if shelf is not None and shelf.newest() is not None:
            break
        at.run()
        assert not at.exception, at.exception
    assert PlainSGD.made[-1].t > 0, "the run never stepped with the new optimizer"
    assert shelf is not None and shelf.newest() is not None, "the run did not end"
    model = shelf.models[shelf.newest()]
    assert [layer.activation.name for layer in model.layers[:-1]] == ["softsign"]


def test_the_perceptron_page_offers_a_new_two_class_data_set(new_names):
    at = run_page("perceptron")
    box = at.selectbox(key="perceptron_dataset")
    label = catalog.label("dataset", "stripes")
    assert label in box.options
    box.select_index(box.options.index(label)).run()
    assert not at.exception, at.exception
    assert stripes.calls, "the page did not make its points with the new data set"
