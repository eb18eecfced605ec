"""Save a trained model to a .npz file and load it back, safely.

The file is a NumPy .npz (a zip of .npy arrays):

    layer0.W, layer0.b, layer1.W, ...   the parameters, float32
    metadata                            a JSON string: format name and version,
                                        layer sizes and activations, loss, input
                                        scaling, training configuration, history

Loading trusts nothing in the file: arrays are read with allow_pickle=False
(so no code from the file ever runs), and every fact is checked before a
model is built. Anything wrong raises ValueError with a message a user can
act on.
"""

import io
import json
import os
import zipfile
import zlib

import numpy as np

from . import activations
from .layers import Dense
from .losses import LOSSES
from .mnist import SCALINGS
from .model import Sequential

FORMAT = "nn-playground-model"
VERSION = 1
MAX_LAYERS = 32
MAX_UNITS = 4096
MAX_PARAMETERS = 20_000_000


def model_metadata(model):
    """The JSON-serialisable description of a model saved next to its arrays."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "sizes": model.sizes,
        "layers": [layer.config() for layer in model.layers],
        "loss": model.loss,
        "input_scaling": model.input_scaling,
        "training": model.training_config,
        "history": model.history,
    }


def save_model(model, path=None):
    """Write `model` as .npz to `path` (a file name or a binary file object).

    Returns `path`; with path=None the file's bytes are returned instead
    (what a download button needs). Either can be given to load_model.
    """
    arrays = {}
    for i, layer in enumerate(model.layers):
        arrays[f"layer{i}.W"] = layer.W
        arrays[f"layer{i}.b"] = layer.b
    arrays["metadata"] = np.array(json.dumps(model_metadata(model), default=_jsonable))
    if path is None:
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        return buffer.getvalue()
    if hasattr(path, "write"):
        np.savez(path, **arrays)
    else:
        with open(path, "wb") as f:  # np.savez(name) would append ".npz" to the name
            np.savez(f, **arrays)
    return path


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot store {type(value).__name__} in model metadata")


def load_model(source):
    """Read a model written by save_model from a path, bytes or a binary file object.

    Raises ValueError (never anything else for a bad file) when the file is
    empty, not a .npz, truncated, holds pickled objects, misses arrays, has
    arrays of the wrong shape or with NaN/inf, or names an unknown activation.
    """
    data = _read_bytes(source)
    if not data:
        raise ValueError("the model file is empty")
    if not data.startswith(b"PK"):
        raise ValueError("this is not a model file: a model is a .npz (zip) file saved "
                         "by this app or by `python -m engine train --save`")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except ValueError as err:
        if "allow_pickle" in str(err) or "Object arrays" in str(err):
            raise ValueError("the model file holds pickled Python objects, which are "
                             "refused: they could run code") from None
        raise ValueError(f"the model file is corrupt: {err}") from None
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error, KeyError) as err:
        raise ValueError(f"the model file is truncated or corrupt ({err})") from None
    meta = _read_metadata(arrays)
    return _build_model(meta, arrays)


def _read_bytes(source):
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if hasattr(source, "read"):
        return source.read()
    if isinstance(source, (str, os.PathLike)):
        try:
            with open(source, "rb") as f:
                return f.read()
        except FileNotFoundError:
            raise ValueError(f"no model file at {os.fspath(source)!r}") from None
        except IsADirectoryError:
            raise ValueError(f"{os.fspath(source)!r} is a folder, not a model file") from None
    raise ValueError(f"cannot read a model from {type(source).__name__}; "
                     "give a path, bytes or a binary file object")


def _read_metadata(arrays):
    if "metadata" not in arrays:
        raise ValueError("the model file has no metadata: it was not saved by this app")
    raw = arrays["metadata"]
    if raw.dtype.kind != "U" or raw.shape != ():
        raise ValueError("the model file's metadata is not a text string")
    try:
        meta = json.loads(str(raw))
    except json.JSONDecodeError as err:
        raise ValueError(f"the model file's metadata is not valid JSON ({err})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ValueError(f"the file is not a {FORMAT} file")
    if meta.get("version") != VERSION:
        raise ValueError(f"the model file has format version {meta.get('version')!r}; "
                         f"this app reads version {VERSION}")
    layers = meta.get("layers")
    if not isinstance(layers, list) or not 1 <= len(layers) <= MAX_LAYERS:
        raise ValueError(f"the model file must describe 1 to {MAX_LAYERS} layers")
    return meta


def _build_model(meta, arrays):
    layers, n_params = [], 0
    for i, spec in enumerate(meta["layers"]):
        if not isinstance(spec, dict) or spec.get("type") != "dense":
            raise ValueError(f"layer {i}: unknown layer type {_get(spec, 'type')!r}")
        n_in, n_out = spec.get("n_in"), spec.get("n_out")
        for name, value in (("n_in", n_in), ("n_out", n_out)):
            if not isinstance(value, int) or isinstance(value, bool) \
                    or not 1 <= value <= (MAX_UNITS if i or name == "n_out" else 100_000):
                raise ValueError(f"layer {i}: {name} must be a positive integer "
                                 f"(at most {MAX_UNITS} units), got {value!r}")
        n_params += n_in * n_out + n_out
        if n_params > MAX_PARAMETERS:
            raise ValueError(f"the model is too large (over {MAX_PARAMETERS:,} parameters)")
        params = spec.get("activation_params") or {}
        if not isinstance(params, dict):
            raise ValueError(f"layer {i}: activation_params must be a mapping")
        try:
            activation = activations.get(spec.get("activation"), **params)
        except (ValueError, TypeError) as err:
            raise ValueError(f"layer {i}: {err}") from None
        layer = Dense(n_in, n_out, activation)
        for name, shape in (("W", (n_in, n_out)), ("b", (n_out,))):
            key = f"layer{i}.{name}"
            if key not in arrays:
                raise ValueError(f"the model file has no array {key!r}")
            value = arrays[key]
            if value.shape != shape:
                raise ValueError(f"{key} has shape {value.shape}, expected {shape}")
            if value.dtype.kind != "f":
                raise ValueError(f"{key} must hold floats, got {value.dtype}")
            if not np.all(np.isfinite(value)):
                raise ValueError(f"{key} contains NaN or infinite values")
            setattr(layer, name, value)
        layers.append(layer)
    extra = set(arrays) - {"metadata"} - {f"layer{i}.{p}" for i in range(len(layers)) for p in "Wb"}
    if extra:
        raise ValueError(f"the model file has unexpected arrays: {', '.join(sorted(extra))}")
    scaling = meta.get("input_scaling")
    if scaling is not None and scaling not in SCALINGS:
        raise ValueError(f"unknown input_scaling {scaling!r}; known: {', '.join(SCALINGS)}")
    try:
        model = Sequential(layers, input_scaling=scaling)
    except ValueError as err:
        raise ValueError(f"the model file's layers do not fit together: {err}") from None
    loss = meta.get("loss")
    model.loss = loss if loss in LOSSES else None
    model.training_config = meta.get("training") if isinstance(meta.get("training"), dict) else {}
    model.history = meta.get("history") if isinstance(meta.get("history"), list) else []
    return model


def _get(spec, key):
    return spec.get(key) if isinstance(spec, dict) else spec
