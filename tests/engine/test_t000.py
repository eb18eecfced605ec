"""Tutorial 000 (engine/tutorials/t000.py): its update rules, walk-through and experiments."""

import numpy as np
import pytest

from engine import losses
from engine.layers import Dense
from engine.model import Sequential
from engine.tutorials import EXPERIMENTS
from engine.tutorials import t000


@pytest.fixture(scope="module")
def data():
    return t000.load_data()


@pytest.fixture(scope="module")
def small(data):
    """The first 300 training images and 500 test images: enough to check shapes quickly."""
    return {"pixels_train": data["pixels_train"][:300], "y_train": data["y_train"][:300],
            "pixels_test": data["pixels_test"][:500], "y_test": data["y_test"][:500]}


def tiny_case(seed=0, i_n=6, h_n=4, o_n=3):
    rng = np.random.default_rng(seed)
    net = t000.init_network(rng, i_n, h_n, o_n)
    x = rng.uniform(0.01, 1.0, (i_n, 1))
    target = np.full((o_n, 1), 0.01)
    target[1] = 0.99
    return net, x, target


def copy(net):
    return {k: v.copy() for k, v in net.items()}


def engine_gradient(net, x, target):
    """dE/dW from the engine's own Dense/Sequential backward, loss "sse", zero biases."""
    h_n, i_n = net["w_i_h"].shape
    o_n = net["w_h_o"].shape[0]
    model = Sequential([Dense(i_n, h_n, "sigmoid", dtype=np.float64),
                        Dense(h_n, o_n, "sigmoid", dtype=np.float64)])
    model.layers[0].W, model.layers[1].W = net["w_i_h"].T, net["w_h_o"].T  # engine: (n_in, n_out)
    model.layers[0].b, model.layers[1].b = np.zeros(h_n), np.zeros(o_n)
    _, caches = model.forward_cached(x.T)
    model.loss_and_backward(caches, target.T, losses.get("sse"))
    return {"w_i_h": model.layers[0].dW.T.copy(), "w_h_o": model.layers[1].dW.T.copy()}


def central_differences(net, x, target, eps=1e-6):
    grads = {}
    for name in ("w_i_h", "w_h_o"):
        g = np.zeros_like(net[name])
        for idx in np.ndindex(g.shape):
            plus, minus = copy(net), copy(net)
            plus[name][idx] += eps
            minus[name][idx] -= eps
            g[idx] = (t000.sse(plus, x, target) - t000.sse(minus, x, target)) / (2 * eps)
        grads[name] = g
    return grads


def step_taken(net, x, target, lr, rule):
    after = copy(net)
    t000.step(after, x, target, lr, rule)
    return {k: after[k] - net[k] for k in net}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_exact_step_is_minus_lr_times_the_engines_gradient_and_central_differences(seed):
    net, x, target = tiny_case(seed)
    lr = 0.3
    step = step_taken(net, x, target, lr, "exact")
    by_engine = engine_gradient(net, x, target)
    by_differences = central_differences(net, x, target)
    for name in net:
        np.testing.assert_allclose(step[name], -lr * by_engine[name], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(step[name], -lr * by_differences[name], rtol=1e-5, atol=1e-9)
        np.testing.assert_allclose(t000.sse_gradient(net, x, target)[name], by_engine[name],
                                   rtol=1e-10, atol=1e-14)


def test_as_printed_hidden_step_is_not_the_gradient_but_its_output_step_is(data):
    """On an MNIST image: the as-printed rule leaves o(1-o) out of the hidden error only."""
    net = t000.init_network(np.random.default_rng(0))
    x = t000.inputs(data["pixels_train"][:1]).T
    target = t000.targets(data["y_train"][:1]).T
    lr = 0.3
    printed = step_taken(net, x, target, lr, "as-printed")
    gradient = engine_gradient(net, x, target)
    np.testing.assert_allclose(printed["w_h_o"], -lr * gradient["w_h_o"], rtol=1e-10, atol=1e-14)
    ratio = np.abs(printed["w_i_h"]).sum() / np.abs(lr * gradient["w_i_h"]).sum()
    assert ratio > 2  # 1 / (o (1 - o)) >= 4 for every output: a much larger hidden step


def tutorials_loop(w_i_h, w_h_o, rows, lr, epochs):
    """A hand-written copy of the tutorial's training loop, column vectors and all."""
    o_n = w_h_o.shape[0]

    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    for _ in range(epochs):
        for row in rows:
            observation = row.split(",")
            inp = np.array((np.asarray(observation[1:], dtype=float) / 255.0 * 0.99) + 0.01,
                           ndmin=2).T
            target = np.array(np.zeros(o_n) + 0.01, ndmin=2).T
            target[int(observation[0])] = 0.99
            h_output = sigmoid(np.dot(w_i_h, inp))
            o_output = sigmoid(np.dot(w_h_o, h_output))
            o_errors = target - o_output
            h_errors = np.dot(w_h_o.T, o_errors)
            w_h_o += lr * np.dot((o_errors * o_output * (1.0 - o_output)), np.transpose(h_output))
            w_i_h += lr * np.dot((h_errors * h_output * (1.0 - h_output)), np.transpose(inp))
    return w_i_h, w_h_o


def test_as_printed_training_equals_the_tutorials_own_loop(data):
    n = 8
    rows = [",".join(str(v) for v in [data["y_train"][i], *data["pixels_train"][i].ravel()])
            for i in range(n)]
    rng = np.random.default_rng(3)
    w_i_h = rng.normal(0.0, pow(90, -0.5), (90, 784))
    w_h_o = rng.normal(0.0, pow(10, -0.5), (10, 90))
    net = {"w_i_h": w_i_h.copy(), "w_h_o": w_h_o.copy()}
    tutorials_loop(w_i_h, w_h_o, rows, 0.3, 2)
    t000.train(net, data["pixels_train"][:n], t000.targets(data["y_train"][:n]), 0.3, 2,
               "as-printed")
    np.testing.assert_allclose(net["w_i_h"], w_i_h, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(net["w_h_o"], w_h_o, rtol=1e-12, atol=1e-15)
    # and the exact rule really trains differently
    other = t000.init_network(np.random.default_rng(3))
    t000.train(other, t000.inputs(data["pixels_train"][:n]), t000.targets(data["y_train"][:n]),
               0.3, 2, "exact")
    assert not np.allclose(other["w_i_h"], w_i_h)


def test_train_equals_step_by_step(data):
    X, T = t000.inputs(data["pixels_train"][:5]), t000.targets(data["y_train"][:5])
    for rule in t000.RULES:
        a, b = (t000.init_network(np.random.default_rng(1)) for _ in range(2))
        t000.train(a, X, T, 0.1, 1, rule)
        for x, t in zip(X, T):
            t000.step(b, x[:, None], t[:, None], 0.1, rule)
        for name in a:
            np.testing.assert_allclose(a[name], b[name], rtol=1e-12, atol=1e-15)


def test_init_uses_the_receiving_layers_size_as_printed_and_the_incoming_as_written():
    net = t000.init_network(np.random.default_rng(0))
    assert net["w_i_h"].shape == (90, 784) and net["w_h_o"].shape == (10, 90)
    assert net["w_i_h"].std() == pytest.approx(90 ** -0.5, rel=0.02)
    assert net["w_h_o"].std() == pytest.approx(10 ** -0.5, rel=0.1)
    text = t000.init_network(np.random.default_rng(0), init="incoming")
    assert text["w_i_h"].std() == pytest.approx(784 ** -0.5, rel=0.02)
    assert text["w_h_o"].std() == pytest.approx(90 ** -0.5, rel=0.1)
    with pytest.raises(ValueError, match="init must be"):
        t000.init_network(np.random.default_rng(0), init="glorot")
    with pytest.raises(ValueError, match="rule must be"):
        t000.train(net, np.zeros((1, 784)), np.zeros((1, 10)), 0.1, 1, "Exact")


def test_notebook_cells_are_one_stale_update_of_1_3_times_the_step():
    net, x, target = tiny_case(4)
    once = step_taken(net, x, target, 1.3, "as-printed")
    after = t000.notebook_cells(copy(net), x, target)
    for name in net:
        np.testing.assert_allclose(after[name] - net[name], once[name], rtol=1e-10)


def test_walkthrough_numbers(data):
    w = t000.walkthrough(data, seed=0)
    assert w["toy"]["w_i_h"].shape == (5, 3) and w["toy"]["w_h_o"].shape == (2, 5)
    assert (w["toy"]["w_i_h"] > 0).all() and (w["toy"]["w_h_o"] > 0).all()
    assert len(w["observation"]) == 785 and w["label"] == 5 == w["observation"][0]
    assert (w["raw"]["o_output"] == 1.0).all()  # the pitfall: every output exactly 1
    assert w["shapes"] == {"w_i_h": (90, 784), "input": (784, 1), "w_h_o": (10, 90),
                           "target": (10, 1)}
    assert w["input"].min() == pytest.approx(0.01) and w["input"].max() <= 1.0
    assert w["target"][5, 0] == 0.99 and w["target"].sum() == pytest.approx(0.99 + 9 * 0.01)
    assert w["one_hot"][5, 0] == 1 and w["one_hot"].sum() == 1
    first = w["first"]
    np.testing.assert_allclose(first["o_errors"], w["target"] - first["o_output"])
    np.testing.assert_allclose(first["h_errors"],
                               w["w_h_o_before"].T @ first["o_errors"])
    o = first["o_output"]
    np.testing.assert_allclose(w["exact_h_errors"],
                               w["w_h_o_before"].T @ (first["o_errors"] * o * (1 - o)))
    assert w["largest_w_i_h_change"] > 0 and w["largest_w_h_o_change"] > 0
    assert w["test_label"] == 7
    assert w["test_prediction"] == int(np.argmax(w["test_output"]))
    # the walk-through's trained network is experiment t000-100-images's start 0
    ours = t000.from_scratch(n_train=100, epochs=1, lr=0.3, h_n=90, starts=1,
                             variants=("as-printed",), data=data)
    assert w["test_accuracy"] == ours["as-printed"][0]


def test_100_images_spread_over_five_starts(data):
    """The real experiment: the findings the page states (and the README quotes)."""
    results = {r["variant"]: r for r in EXPERIMENTS["t000-100-images"].run(5, None)}
    assert set(results) == {"as-printed", "exact", "incoming-links init", "notebook-order"}
    for r in results.values():
        assert r["tutorial"] == 0.3959 and len(r["ours"]) == 5
        assert r["settings"]["seeds"] == [0, 1, 2, 3, 4]
    printed = results["as-printed"]["ours"]
    assert 0.55 <= min(printed) and max(printed) <= 0.63  # far above the printed 0.3959
    assert max(results["exact"]["ours"]) < min(printed)  # the true gradient is slower here
    # and the text's init (smaller starting weights) slower still
    assert max(results["incoming-links init"]["ours"]) < min(results["exact"]["ours"])
    notebook = results["notebook-order"]["ours"]
    assert min(notebook) < 0.3959 + 0.05 and min(notebook) < min(printed) - 0.1
    # reproducible from the seeds: start 0 alone gives start 0's figure
    again = t000.from_scratch(n_train=100, epochs=1, lr=0.3, h_n=90, starts=1, data=data)
    assert again["as-printed"][0] == printed[0]
    assert again["exact"][0] == results["exact"]["ours"][0]


def test_small_experiments_shapes_progress_and_reproducible(small):
    seen = []
    one = t000.from_scratch(n_train=50, epochs=2, lr=0.1, h_n=20, starts=2, data=small,
                            variants=t000.RULES + ("incoming-links init", "notebook-order"),
                            progress=seen.append)
    two = t000.from_scratch(n_train=50, epochs=2, lr=0.1, h_n=20, starts=2, data=small,
                            variants=t000.RULES + ("incoming-links init", "notebook-order"))
    assert one == two
    assert all(len(v) == 2 and all(0 <= a <= 1 for a in v) for v in one.values())
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0)


def test_from_scratch_results_have_the_contracts_shape(small):
    for name in t000.FROM_SCRATCH:
        results = t000.run_from_scratch(name, 1, data={**small,
                                                        "pixels_train": small["pixels_train"][:20],
                                                        "y_train": small["y_train"][:20]})
        assert [r["variant"] for r in results] == list(t000.VARIANTS[name])
        for r in results:
            assert set(r) == {"variant", "tutorial", "ours", "settings"}
            assert isinstance(r["ours"], list) and len(r["ours"]) == 1
    assert t000.FROM_SCRATCH["t000-lr-0.1"][1] is None
    assert t000.FROM_SCRATCH["t000-150-hidden"][2]["h_n"] == 150
    assert t000.FROM_SCRATCH["t000-60000-images"][2] == {"n_train": 60_000, "epochs": 2,
                                                         "lr": 0.1, "h_n": 90}


def test_keras_on_a_subset_shapes_and_reproducible(small):
    runs = [t000.keras(opt, starts=2, data=small, epochs=2) for opt in ("sgd", "sgd", "rmsprop")]
    assert runs[0] == runs[1]
    for ours in runs:
        assert set(ours) == set(t000.KERAS_PRINTED["sgd"])
        assert len(ours["error_rate"]) == 2 and all(len(v) == 2 for v in ours["loss"])
        assert all(0 <= e <= 100 for e in ours["error_rate"])
    # RMSprop learns far faster than plain SGD at Keras's default rates
    assert np.mean(runs[2]["loss"], axis=0)[-1] < np.mean(runs[0]["loss"], axis=0)[-1]
    model = t000.keras_model(0)
    assert model.sizes == [784, 90, 10]
    assert model.layers[0].W.std() == pytest.approx(0.05, rel=0.02)
    assert not model.layers[0].b.any()


def test_registry():
    names = [n for n, e in EXPERIMENTS.items() if e.tutorial == "000"]
    for name in ("t000-100-images", "t000-100-images-5-epochs", "t000-lr-0.1",
                 "t000-150-hidden", "t000-60000-images", "t000-keras-sgd", "t000-keras-rmsprop"):
        assert name in names and EXPERIMENTS[name].random
    shapes = EXPERIMENTS["t000-shapes"].run(1, None)[0]
    assert shapes["ours"] == shapes["tutorial"]
    ones = EXPERIMENTS["t000-all-ones"].run(3, None)[0]
    assert ones["ours"] == [1.0, 1.0, 1.0]
