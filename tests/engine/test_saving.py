"""save_model / load_model: bit-for-bit round trip, and every kind of bad file refused."""

import io
import json
import os
import pickle

import numpy as np
import pytest

from engine import Adam, Dense, Sequential, activations, load_model, save_model


@pytest.fixture
def model():
    rng = np.random.default_rng(0)
    m = Sequential([Dense(6, 5, activations.get("leaky_relu", slope=0.2)),
                    Dense(5, 3, "softmax")], seed=3, input_scaling="tutorial")
    m.fit(rng.uniform(size=(40, 6)), rng.integers(0, 3, 40), epochs=2, batch_size=8,
          optimizer=Adam(), loss="cross_entropy")
    return m


def test_round_trip_predicts_bit_for_bit(model, tmp_path):
    x = np.random.default_rng(1).uniform(size=(7, 6)).astype(np.float32)
    path = tmp_path / "m.npz"
    for loaded in (load_model(save_model(model, path)), load_model(save_model(model)),
                   load_model(io.BytesIO(save_model(model)))):
        np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
        assert loaded.input_scaling == "tutorial" and loaded.loss == "cross_entropy"
        assert loaded.layers[0].activation.slope == 0.2
        assert loaded.history == model.history and len(loaded.history) == 2
        assert loaded.training_config["optimizer"]["name"] == "adam"
    assert os.listdir(tmp_path) == ["m.npz"]  # no ".npz" appended twice


def arrays_and_meta(model):
    with np.load(io.BytesIO(save_model(model))) as npz:
        arrays = {k: npz[k] for k in npz.files}
    return arrays, json.loads(str(arrays["metadata"]))


def rewrite(arrays, meta=None, **kwargs):
    arrays = dict(arrays)
    if meta is not None:
        arrays["metadata"] = np.array(json.dumps(meta))
    arrays.update(kwargs)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def test_empty_truncated_and_foreign_files(model, tmp_path):
    good = save_model(model)
    with pytest.raises(ValueError, match="empty"):
        load_model(b"")
    with pytest.raises(ValueError, match="truncated or corrupt"):
        load_model(good[: len(good) // 2])
    with pytest.raises(ValueError, match="not a model file"):
        load_model(b"hello, this is a text file")
    with pytest.raises(ValueError, match="no model file at"):
        load_model(tmp_path / "missing.npz")
    with pytest.raises(ValueError, match="is a folder"):
        load_model(tmp_path)


def test_pickled_objects_are_refused_and_never_run(model, tmp_path):
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    arrays, _ = arrays_and_meta(model)
    bad = rewrite(arrays, **{"layer0.W": np.array([Exploit()], dtype=object)})
    with pytest.raises(ValueError, match="pickled Python objects"):
        load_model(bad)
    assert not marker.exists()
    assert pickle  # the exploit above is what pickle would have run


def test_missing_or_wrong_arrays(model):
    arrays, meta = arrays_and_meta(model)
    without = {k: v for k, v in arrays.items() if k != "layer1.b"}
    with pytest.raises(ValueError, match="no array 'layer1.b'"):
        load_model(rewrite(without))
    with pytest.raises(ValueError, match=r"layer0.W has shape \(5, 6\), expected \(6, 5\)"):
        load_model(rewrite(arrays, **{"layer0.W": arrays["layer0.W"].T}))
    nan = arrays["layer1.W"].copy()
    nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite"):
        load_model(rewrite(arrays, **{"layer1.W": nan}))
    inf = arrays["layer0.b"].copy()
    inf[1] = np.inf
    with pytest.raises(ValueError, match="NaN or infinite"):
        load_model(rewrite(arrays, **{"layer0.b": inf}))
    with pytest.raises(ValueError, match="no metadata"):
        load_model(rewrite({k: v for k, v in arrays.items() if k != "metadata"}))


def test_bad_metadata(model):
    arrays, meta = arrays_and_meta(model)
    meta["layers"][1]["activation"] = "swishy"
    with pytest.raises(ValueError, match="layer 1: unknown activation 'swishy'"):
        load_model(rewrite(arrays, meta))
    _, meta = arrays_and_meta(model)
    meta["version"] = 99
    with pytest.raises(ValueError, match="format version 99"):
        load_model(rewrite(arrays, meta))
    _, meta = arrays_and_meta(model)
    meta["format"] = "keras"
    with pytest.raises(ValueError, match="not a nn-playground-model file"):
        load_model(rewrite(arrays, meta))
    _, meta = arrays_and_meta(model)
    meta["input_scaling"] = "exec('rm -rf /')"
    with pytest.raises(ValueError, match="unknown input_scaling"):
        load_model(rewrite(arrays, meta))
    with pytest.raises(ValueError, match="not valid JSON"):
        load_model(rewrite(arrays, metadata=np.array("{oops")))
