"""Save a trained model to a .npz file and load it back, safely.

The file is a NumPy .npz (a zip of .npy arrays), as np.savez writes it:

    layer0.W, layer0.b, layer1.W, ...   the parameters, float32
    metadata                            a JSON string: format name and version,
                                        layer sizes and activations, loss, input
                                        scaling, training configuration, history

Loading trusts nothing in the file, and reads nothing it has not checked.
Each size is checked before the bytes it announces are read, so no file can
make loading take much more memory than the limits below allow:

    1. the file: at most MAX_FILE_BYTES, read with that cap (so /dev/zero
       is refused after 64 MB).
    2. the zip's directory, before anything is unpacked: at most
       MAX_MEMBERS members named metadata.npy, layer<i>.W.npy, layer<i>.b.npy,
       each stored or deflated (what np.savez and np.savez_compressed write),
       none encrypted, all of them together unpacking to at most
       MAX_UNPACKED_BYTES.
    3. the metadata: its .npy header must announce one string of at most
       MAX_METADATA_CHARS characters; the JSON may nest at most
       MAX_JSON_DEPTH deep (counted before parsing); then every field is
       checked (see _checked_metadata).
    4. the arrays: the metadata's layer sizes may add up to at most
       MAX_PARAMETERS; each array's header must announce floats of exactly
       the shape those sizes give. Its bytes become an array through
       np.frombuffer (no pickle ever) and must be finite once converted to
       the model's float32.

Anything wrong raises ValueError (exactly ValueError, no subclass) with a
message a user can act on; a last guard turns anything nobody foresaw into
a ValueError too.
"""

import io
import json
import math
import os
import reprlib
import zipfile
import zlib

import numpy as np

from . import activations
from .layers import INITIALISERS, Dense
from .losses import LOSSES
from .mnist import SCALINGS
from .model import Sequential

FORMAT = "nn-playground-model"
VERSION = 1
MAX_LAYERS = 32
MAX_UNITS = 4096
MAX_INPUTS = 100_000  # the first layer's inputs
MAX_PARAMETERS = 5_000_000  # 40 MB even as float64; the app's largest network has 0.93 M
MAX_FILE_BYTES = 64 * 2**20
MAX_MEMBERS = 2 * MAX_LAYERS + 1  # W and b of each layer, and the metadata
MAX_DIRECTORY_BYTES = 64 * 2**10  # the zip's list of members (a model's takes under 6 KB)
MAX_METADATA_CHARS = 1_000_000  # 4 MB as a .npy string; 1000 epochs of history take 250 K
MAX_UNPACKED_BYTES = 8 * MAX_PARAMETERS + 4 * MAX_METADATA_CHARS + 2**20  # and the headers
MAX_JSON_DEPTH = 20  # a model's metadata nests 4 deep
MAX_TEXT = 100  # characters in a name or other string of the metadata
MAX_PARAMS_PER_ACTIVATION = 8
MAX_HISTORY = 1000  # epochs recorded

ARRAY_MEMBERS = {f"layer{i}.{p}.npy" for i in range(MAX_LAYERS) for p in "Wb"}
PACKINGS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # np.savez, np.savez_compressed
TRAINING_COUNTS = ("epochs", "batch_size", "train_samples")
HISTORY_NUMBERS = ("loss", "accuracy", "val_loss", "val_accuracy", "samples_seen", "seconds",
                   "samples_per_s")


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

    Raises ValueError, and nothing else, for any file that is not a sound
    model file: empty, too large, not a .npz, truncated, packed in another
    way, holding pickled objects or unexpected members, metadata that is
    not what save_model writes, arrays of the wrong shape or type, or with
    NaN/inf.
    """
    try:
        return _model_from_bytes(_read_source(source))
    except Exception as err:  # the promise holds for cases nobody thought of, MemoryError too
        if type(err) is ValueError:
            raise
        raise ValueError(f"the model file is corrupt ({type(err).__name__})") from None


# ---------------------------------------------------------------------------
# The file and its zip directory
# ---------------------------------------------------------------------------
def _read_source(source):
    """The file's bytes; a larger file than MAX_FILE_BYTES is refused after one byte more."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = source
    elif hasattr(source, "read"):
        data = source.read(MAX_FILE_BYTES + 1)
    elif isinstance(source, (str, os.PathLike)):
        data = _read_path(os.fspath(source))
    else:
        raise ValueError(f"cannot read a model from {type(source).__name__}; "
                         "give a path, bytes or a binary file object")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ValueError("the model file must be opened in binary mode ('rb')")
    if memoryview(data).nbytes > MAX_FILE_BYTES:
        raise ValueError(f"the model file is larger than {MAX_FILE_BYTES // 2**20} MB, "
                         "far more than any model this app can load")
    return bytes(data)


def _read_path(path):
    try:
        with open(path, "rb") as f:
            return f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ValueError(f"no model file at {path!r}") from None
    except IsADirectoryError:
        raise ValueError(f"{path!r} is a folder, not a model file") from None
    except OSError as err:
        raise ValueError(f"cannot read {path!r}: {err.strerror or type(err).__name__}") from None


def _model_from_bytes(data):
    if not data:
        raise ValueError("the model file is empty")
    if not data.startswith(b"PK"):
        raise ValueError("this is not a model file: a model is a .npz (zip) file saved "
                         "by this app or by `python -m engine train --save`")
    _check_zip_end(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, OSError) as err:
        raise ValueError(f"the model file is truncated or corrupt ({_short(str(err))})") from None
    with archive:
        members = _checked_members(archive)
        if "metadata.npy" not in members:
            raise ValueError("the model file has no metadata: it was not saved by this app")
        meta = _checked_metadata(_read_metadata_text(archive, members["metadata.npy"]))
        return _build_model(meta, archive, members)


def _check_zip_end(data):
    """Refuse a zip whose directory is too large, before zipfile turns it into objects.

    zipfile reads the directory's size from the 22-byte end record and makes
    one object per member (a 50 MB directory of empty members costs 300 MB).
    np.savez ends the file with exactly that record: no comment, no zip64
    record before it. So its last 22 bytes are the end record zipfile uses.
    """
    end = data[-22:]
    if len(end) < 22 or end[:4] != b"PK\x05\x06" or end[-2:] != b"\0\0":
        raise ValueError("the model file is truncated or corrupt (it does not end the way "
                         "a .npz file does)")
    if data[-42:-38] == b"PK\x06\x07":  # the zip64 end record's locator
        raise ValueError("the model file is a zip64 archive, which a model file never is")
    if int.from_bytes(end[12:16], "little") > MAX_DIRECTORY_BYTES:
        raise ValueError(f"the model file lists too many members (a model has at most "
                         f"{MAX_MEMBERS})")


def _checked_members(archive):
    """The zip's members by name, once its directory shows nothing to refuse."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ValueError(f"the model file has {len(infos)} members; a model has at most "
                         f"{MAX_MEMBERS} (metadata, and W and b of each layer)")
    members = {}
    for info in infos:
        name = info.filename
        if name != "metadata.npy" and name not in ARRAY_MEMBERS:
            raise ValueError(f"the model file holds an unexpected member {reprlib.repr(name)}; "
                             "a model file holds only metadata.npy, layer<i>.W.npy and "
                             "layer<i>.b.npy")
        if name in members:
            raise ValueError(f"the model file holds {name} twice")
        if info.flag_bits & 0x1:
            raise ValueError(f"{name} in the model file is encrypted; model files never are")
        if info.compress_type not in PACKINGS:
            raise ValueError(f"{name} in the model file is packed with zip compression method "
                             f"{info.compress_type}; model files are stored or deflated "
                             "(np.savez or np.savez_compressed)")
        members[name] = info
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValueError(f"the model file unpacks to {unpacked / 2**20:,.0f} MB, more than a "
                         f"model of at most {MAX_PARAMETERS:,} parameters can need")
    return members


# ---------------------------------------------------------------------------
# One .npy member: its header first, then exactly the bytes the header announces
# ---------------------------------------------------------------------------
def _read_npy(archive, info, check_header):
    """(bytes, shape, fortran_order, dtype) of a .npy member.

    check_header(shape, dtype) raises ValueError for a header to refuse, before
    its data is read. Only .npy version 1.0 is read: np.save writes it for
    every array a model has (2.0 is for headers over 64 KB).
    """
    name = info.filename
    try:
        with archive.open(info) as stream:
            shape, fortran_order, dtype = _read_npy_header(stream, name)
            check_header(shape, dtype)
            size = math.prod(shape) * dtype.itemsize
            data = stream.read(size + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError) as err:  # a bad CRC, deflate data, end
        raise ValueError(f"{name} in the model file is truncated or corrupt "
                         f"({_short(str(err))})") from None
    except NotImplementedError as err:  # what only its local header says, e.g. patched data
        raise ValueError(f"{name} in the model file is packed in a way model files never "
                         f"are ({_short(str(err))})") from None
    if len(data) != size:
        raise ValueError(f"{name} in the model file holds {'more' if len(data) > size else 'less'}"
                         f" data than its header announces: the file is corrupt")
    return data, shape, fortran_order, dtype


def _read_npy_header(stream, name):
    try:
        version = np.lib.format.read_magic(stream)
    except ValueError:
        raise ValueError(f"{name} in the model file is not a NumPy array (.npy)") from None
    if version != (1, 0):
        raise ValueError(f"{name} in the model file is a .npy of version {version}; "
                         "model files use version 1.0")
    try:
        return np.lib.format.read_array_header_1_0(stream)
    except ValueError as err:
        raise ValueError(f"{name} in the model file has a corrupt .npy header "
                         f"({_short(str(err))})") from None


def _read_metadata_text(archive, info):
    def check_header(shape, dtype):
        if dtype.kind != "U" or shape != ():
            raise ValueError("the model file's metadata is not a text string")
        if dtype.itemsize // 4 > MAX_METADATA_CHARS:
            raise ValueError(f"the model file's metadata is {dtype.itemsize // 4:,} characters "
                             f"long; a model's is at most {MAX_METADATA_CHARS:,}")

    data, _, _, dtype = _read_npy(archive, info, check_header)
    codec = "utf-32-be" if dtype.str.startswith(">") else "utf-32-le"  # how NumPy stores text
    try:
        return data.decode(codec).rstrip("\0")  # NumPy pads short strings with NUL
    except UnicodeDecodeError:
        raise ValueError("the model file's metadata is not valid text") from None


def _read_array(archive, info, shape, dtype):
    """A layer's array, as `dtype`, from a member that must hold floats of this shape."""
    name = info.filename[:-len(".npy")]

    def check_header(file_shape, file_dtype):
        if file_dtype.hasobject:
            raise ValueError("the model file holds pickled Python objects, which are refused: "
                             "they could run code")
        if file_dtype.kind != "f" or file_dtype.itemsize not in (2, 4, 8):
            raise ValueError(f"{name} must hold floats (float16, float32 or float64), "
                             f"got {file_dtype}")
        if file_shape != shape:
            raise ValueError(f"{name} has shape {file_shape}, expected {shape}")

    data, _, fortran_order, file_dtype = _read_npy(archive, info, check_header)
    values = np.frombuffer(data, file_dtype).reshape(shape, order="F" if fortran_order else "C")
    with np.errstate(over="ignore"):  # 1e300 becomes inf in float32, refused just below
        values = values.astype(dtype)
    if not np.isfinite(values).all():
        raise ValueError(f"{name} contains NaN or infinite values (or values too large "
                         f"for {dtype})")
    return values


# ---------------------------------------------------------------------------
# The metadata: JSON with limits, then checked field by field
# ---------------------------------------------------------------------------
def _checked_metadata(text):
    """The metadata as a dict whose every field save_model could have written.

    Fields: format and version; layers (type "dense", n_in, n_out, activation,
    activation_params: at most 8 short names of numbers, init); loss (an
    unknown name is read as None); input_scaling; training (epochs,
    batch_size, train_samples, seed, shuffle, loss, optimizer: a dict of
    short texts, numbers, booleans and short lists of numbers); history (at
    most MAX_HISTORY entries and at most training's epochs, each a dict with
    an int epoch >= 1 and finite numbers for its other values). Keys this
    version does not know are dropped (from the top level, training and
    history entries), so they never reach the model.
    """
    if _nesting_depth(text) > MAX_JSON_DEPTH:
        raise ValueError(f"the model file's metadata nests more than {MAX_JSON_DEPTH} deep; "
                         "a model's nests 4 deep")
    try:
        meta = json.loads(text)
    except ValueError as err:
        raise ValueError(f"the model file's metadata is not valid JSON "
                         f"({_short(str(err))})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ValueError(f"the file is not a {FORMAT} file")
    if meta.get("version") != VERSION:
        raise ValueError(f"the model file has format version {reprlib.repr(meta.get('version'))}"
                         f"; this app reads version {VERSION}")
    layers = meta.get("layers")
    if not isinstance(layers, list) or not 1 <= len(layers) <= MAX_LAYERS:
        raise ValueError(f"the model file must describe 1 to {MAX_LAYERS} layers")
    scaling = meta.get("input_scaling")
    if scaling is not None and (not isinstance(scaling, str) or scaling not in SCALINGS):
        raise ValueError(f"unknown input_scaling {reprlib.repr(scaling)}; "
                         f"known: {', '.join(SCALINGS)}")
    loss = meta.get("loss")
    if loss is not None:
        loss = _text(loss, "loss")
    training = _checked_training(meta.get("training"))
    return {
        "layers": _checked_layers(layers),
        "loss": loss if loss in LOSSES else None,
        "input_scaling": scaling,
        "training": training,
        "history": _checked_history(meta.get("history"), training.get("epochs")),
    }


def _nesting_depth(text):
    """How deep [ and { nest in JSON text, brackets inside strings not counted.

    A loop, not a parser, so that no text can make it recurse.
    """
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _checked_layers(layers):
    """Each layer's spec with its sizes, activation and init checked, and the total size."""
    checked, n_params = [], 0
    for i, spec in enumerate(layers):
        if not isinstance(spec, dict) or spec.get("type") != "dense":
            kind = spec.get("type") if isinstance(spec, dict) else spec
            raise ValueError(f"layer {i}: unknown layer type {reprlib.repr(kind)}")
        n_in = _whole(spec.get("n_in"), f"layer {i}: n_in", most=MAX_UNITS if i else MAX_INPUTS)
        n_out = _whole(spec.get("n_out"), f"layer {i}: n_out", most=MAX_UNITS)
        if i and n_in != checked[-1]["n_out"]:
            raise ValueError(f"the model file's layers do not fit together: layer {i - 1} has "
                             f"{checked[-1]['n_out']} outputs but layer {i} expects {n_in} inputs")
        n_params += n_in * n_out + n_out
        if n_params > MAX_PARAMETERS:
            raise ValueError(f"the model is too large (over {MAX_PARAMETERS:,} parameters)")
        params = spec.get("activation_params") or {}
        if not isinstance(params, dict) or len(params) > MAX_PARAMS_PER_ACTIVATION:
            raise ValueError(f"layer {i}: activation_params must be a mapping of at most "
                             f"{MAX_PARAMS_PER_ACTIVATION} parameters")
        for key in params:
            _text(key, f"layer {i}: the name of an activation parameter")
        name = _text(spec.get("activation"), f"layer {i}: activation")
        try:
            activation = activations.get(name, **params)
        except ValueError as err:
            raise ValueError(f"layer {i}: {err}") from None
        init = spec.get("init", "glorot")
        if not isinstance(init, str) or init not in INITIALISERS:
            raise ValueError(f"layer {i}: unknown init {reprlib.repr(init)}; "
                             f"known: {', '.join(INITIALISERS)}")
        checked.append({"n_in": n_in, "n_out": n_out, "activation": activation, "init": init})
    return checked


def _checked_training(training):
    """The training configuration's known entries, checked (unknown ones dropped)."""
    if training is None:
        return {}
    if not isinstance(training, dict):
        raise ValueError("the model file's training configuration must be a mapping")
    checked = {}
    for key, value in training.items():
        where = f"training {key}"
        if key in TRAINING_COUNTS:
            checked[key] = _whole(value, where)
        elif key == "seed":
            checked[key] = None if value is None else _whole(value, where, least=0)
        elif key == "shuffle":
            if not isinstance(value, bool):
                raise ValueError(f"the model file's {where} must be true or false, "
                                 f"got {reprlib.repr(value)}")
            checked[key] = value
        elif key == "loss":
            checked[key] = _text(value, where)
        elif key == "optimizer":
            checked[key] = _checked_optimizer(value)
    return checked


def _checked_optimizer(optimizer):
    """The optimizer's name and settings: short texts, booleans, numbers, short lists of numbers."""
    if not isinstance(optimizer, dict) or len(optimizer) > 16:
        raise ValueError("the model file's optimizer must be a mapping of at most 16 settings")
    for key, value in optimizer.items():
        where = f"optimizer setting {_text(key, 'the name of an optimizer setting')}"
        if isinstance(value, str):
            _text(value, where)
        elif isinstance(value, list):
            if len(value) > 4:
                raise ValueError(f"the model file's {where} must be at most 4 numbers")
            for number in value:
                _finite(number, where)
        elif value is not None and not isinstance(value, bool):
            _finite(value, where)
    return optimizer


def _checked_history(history, epochs):
    """The history entries, each with its epoch and its known numbers (others dropped)."""
    if history is None:
        return []
    if not isinstance(history, list):
        raise ValueError("the model file's history must be a list of epochs")
    if len(history) > MAX_HISTORY:
        raise ValueError(f"the model file's history has {len(history):,} epochs; "
                         f"at most {MAX_HISTORY} are read")
    if epochs is not None and len(history) > epochs:
        raise ValueError(f"the model file's history has {len(history)} epochs, more than "
                         f"the {epochs} its training configuration says")
    checked = []
    for i, entry in enumerate(history):
        if not isinstance(entry, dict):
            raise ValueError(f"the model file's history entry {i} must be a mapping, "
                             f"got {reprlib.repr(entry)}")
        if "epoch" not in entry:
            raise ValueError(f"the model file's history entry {i} has no epoch")
        kept = {}
        for key, value in entry.items():
            if key == "epoch":
                kept[key] = _whole(value, f"history entry {i}: epoch")
            elif key in HISTORY_NUMBERS:
                kept[key] = _finite(value, f"history entry {i}: {key}")
        checked.append(kept)
    return checked


def _short(text, most=200):
    """A message from outside, cut to `most` characters."""
    return text if len(text) <= most else text[:most] + "..."


def _whole(value, where, least=1, most=None):
    if isinstance(value, bool) or not isinstance(value, int) or value < least \
            or (most is not None and value > most):
        expected = f"a whole number >= {least}" if most is None else f"{least} to {most:,}"
        raise ValueError(f"the model file's {where} must be {expected}, "
                         f"got {reprlib.repr(value)}")
    return value


def _finite(value, where):
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or (isinstance(value, float) and not math.isfinite(value)):
        raise ValueError(f"the model file's {where} must be a finite number, "
                         f"got {reprlib.repr(value)}")
    return value


def _text(value, where):
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise ValueError(f"the model file's {where} must be a text of at most {MAX_TEXT} "
                         f"characters, got {reprlib.repr(value)}")
    return value


# ---------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------
def _build_model(meta, archive, members):
    layers = meta["layers"]
    expected = {f"layer{i}.{p}.npy" for i in range(len(layers)) for p in "Wb"}
    missing = sorted(expected - set(members))
    if missing:
        raise ValueError(f"the model file has no array {missing[0][:-len('.npy')]!r}")
    extra = set(members) - expected - {"metadata.npy"}
    if extra:
        names = ", ".join(sorted(name[:-len(".npy")] for name in extra))
        raise ValueError(f"the model file has unexpected arrays: {names}")
    built = []
    for i, spec in enumerate(layers):
        layer = Dense(spec["n_in"], spec["n_out"], spec["activation"], init=spec["init"])
        for name, shape in (("W", (layer.n_in, layer.n_out)), ("b", (layer.n_out,))):
            member = members[f"layer{i}.{name}.npy"]
            setattr(layer, name, _read_array(archive, member, shape, layer.dtype))
        built.append(layer)
    model = Sequential(built, input_scaling=meta["input_scaling"])
    model.loss = meta["loss"]
    model.training_config = meta["training"]
    model.history = meta["history"]
    return model
