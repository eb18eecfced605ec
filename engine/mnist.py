"""MNIST: load the handwritten digits, scale their pixels, one-hot their labels.

MNIST (Yann LeCun, Corinna Cortes and Christopher J. C. Burges; CC BY-SA 3.0)
holds 60,000 training and 10,000 test images of handwritten digits, each
28 x 28 grey values 0..255, white digits on black, with their labels 0..9.
The repository keeps the four original files, gzip-compressed, in `data/`
(see data/README.md).

    >>> (x_train, y_train), (x_test, y_test) = load_mnist()
    >>> x_train.shape, x_train.dtype, y_train[:5]
    ((60000, 28, 28), dtype('uint8'), array([5, 0, 4, 1, 9], dtype=uint8))
    >>> X = scale_pixels(x_train)                  # float32 (60000, 784) in [0, 1]
    >>> T = one_hot(y_train, off=0.01, on=0.99)    # the tutorial's targets

The IDX file format (http://yann.lecun.com/exdb/mnist/): a 4-byte magic
number (two zero bytes, a type code 0x08 for unsigned bytes, the number of
dimensions), one big-endian 32-bit size per dimension, then the values in
C order. Images are 3-D (count, rows, columns), labels 1-D (count,).

A network does not see pixels 0..255 but numbers near [0, 1]. Two scalings
are in use, named in `SCALINGS` so that a saved model can record which one
it was trained with:

    "unit"      x / 255                  in [0, 1]
    "tutorial"  x / 255 * 0.99 + 0.01    in [0.01, 1.0]  (no input exactly 0,
                                          so every weight gets some update)
"""

import gzip
import hashlib
import zlib
from pathlib import Path

import numpy as np

# The repository's data/ folder, found from this file, not from the working directory.
DATA_DIR = Path(__file__).resolve().parent.parent / "data"

IMAGE_SIZE = 28
N_CLASSES = 10

# SHA-256 of each file's uncompressed content (the files on disk are these names + ".gz").
CHECKSUMS = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

IDX_UNSIGNED_BYTE = 0x08

# name -> (multiplier, offset): the scaled input is x01 * multiplier + offset,
# where x01 = pixel / 255 is in [0, 1].
SCALINGS = {
    "unit": (1.0, 0.0),
    "tutorial": (0.99, 0.01),
}


def load_mnist(path=None, verify=False):
    """The MNIST training and test sets, as Keras's mnist.load_data() returns them.

    Args:
        path: folder holding the four IDX files, each gzip-compressed
            (`train-images-idx3-ubyte.gz`, ...) or uncompressed; default the
            repository's data/ folder.
        verify: if True, compare each file's SHA-256 with `CHECKSUMS` first.

    Returns:
        ((x_train, y_train), (x_test, y_test)): uint8 arrays of shapes
        (60000, 28, 28), (60000,), (10000, 28, 28), (10000,).
        The arrays are read-only views of the decompressed bytes (no copy is
        made); copy one (`x.copy()`) to change it.

    Raises:
        FileNotFoundError: the folder or a file is missing.
        ValueError: a file is not valid gzip, not a valid IDX file of the
            expected kind, fails verification, or images and labels disagree.
    """
    folder = DATA_DIR if path is None else Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(f"MNIST folder {str(folder)!r} does not exist")
    sets = []
    for prefix in ("train", "t10k"):
        images = _parse_idx(_read(folder, f"{prefix}-images-idx3-ubyte", verify),
                            f"{prefix}-images-idx3-ubyte", ndim=3)
        labels = _parse_idx(_read(folder, f"{prefix}-labels-idx1-ubyte", verify),
                            f"{prefix}-labels-idx1-ubyte", ndim=1)
        if images.shape[1:] != (IMAGE_SIZE, IMAGE_SIZE):
            raise ValueError(f"{prefix}-images-idx3-ubyte: expected {IMAGE_SIZE}x{IMAGE_SIZE} "
                             f"images, got {images.shape[1]}x{images.shape[2]}")
        if len(images) != len(labels):
            raise ValueError(f"{prefix}: {len(images)} images but {len(labels)} labels")
        if len(labels) and labels.max() >= N_CLASSES:
            raise ValueError(f"{prefix}-labels-idx1-ubyte: labels must be 0..{N_CLASSES - 1}, "
                             f"found {labels.max()}")
        sets.append((images, labels))
    return sets[0], sets[1]


def _read(folder, name, verify):
    """The uncompressed bytes of folder/name.gz (or folder/name), optionally checked."""
    compressed, plain = folder / f"{name}.gz", folder / name
    if compressed.is_file():
        try:
            raw = gzip.decompress(compressed.read_bytes())
        except (OSError, EOFError, zlib.error) as err:  # BadGzipFile is an OSError
            raise ValueError(f"{str(compressed)!r} is not a valid gzip file ({err}); "
                             f"replace it with a fresh copy (see data/README.md)") from None
    elif plain.is_file():
        raw = plain.read_bytes()
    else:
        raise FileNotFoundError(
            f"MNIST file {name}.gz (or {name}) not found in {str(folder)!r}; "
            f"see data/README.md for the four files this folder needs")
    if verify:
        digest = hashlib.sha256(raw).hexdigest()
        if digest != CHECKSUMS[name]:
            raise ValueError(f"{name}: SHA-256 of the content is {digest}, expected "
                             f"{CHECKSUMS[name]}; the file is corrupt or not the original MNIST")
    return raw


def _parse_idx(raw, name, ndim):
    """An IDX file's content as a read-only uint8 array of `ndim` dimensions (no copy)."""
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise ValueError(f"{name}: {len(raw)} bytes is too short for an IDX header")
    zero1, zero2, type_code, dims = raw[:4]
    if zero1 != 0 or zero2 != 0 or type_code != IDX_UNSIGNED_BYTE or dims != ndim:
        raise ValueError(f"{name}: magic number {raw[:4].hex()} is not that of a {ndim}-D IDX "
                         f"file of unsigned bytes (expected 000008{ndim:02x})")
    shape = tuple(int(size) for size in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    expected = header_size + int(np.prod(shape))
    if len(raw) != expected:
        raise ValueError(f"{name}: header says shape {shape}, which needs {expected} bytes, "
                         f"but the file has {len(raw)}; it is truncated or corrupt")
    return np.frombuffer(raw, dtype=np.uint8, offset=header_size).reshape(shape)


def scale_pixels(x, scaling="unit"):
    """Pixels 0..255 -> float32 network inputs: x / 255, then the named scaling.

    Args:
        x: uint8 images, shape (n, 28, 28) or (n, 784); a single image
            (28, 28) or (784,) is treated as n = 1.
        scaling: a name from `SCALINGS`: "unit" (x / 255, in [0, 1]) or
            "tutorial" (x / 255 * 0.99 + 0.01, in [0.01, 1.0]).

    Returns:
        float32 array of shape (n, 784), one row per image.
    """
    multiplier, offset = _scaling(scaling)
    x = np.asarray(x)
    if x.dtype != np.uint8:
        raise ValueError(f"x must be uint8 pixels 0..255, got dtype {x.dtype}; "
                         f"for floats already in [0, 1] use rescale_unit")
    n_pixels = IMAGE_SIZE * IMAGE_SIZE
    if x.shape in ((IMAGE_SIZE, IMAGE_SIZE), (n_pixels,)):
        x = x.reshape(1, n_pixels)
    elif (x.ndim == 3 and x.shape[1:] == (IMAGE_SIZE, IMAGE_SIZE)
          or x.ndim == 2 and x.shape[1] == n_pixels):
        x = x.reshape(len(x), n_pixels)
    else:
        raise ValueError(f"x must have shape (n, 28, 28) or (n, 784), got {x.shape}")
    scaled = x.astype(np.float32)
    scaled /= 255.0
    if scaling != "unit":
        scaled *= multiplier  # the same float32 steps as rescale_unit, so the two agree exactly
        scaled += offset
    return scaled


def rescale_unit(x01, scaling):
    """Inputs already in [0, 1] -> the named scaling: x01 * multiplier + offset.

    "unit" returns x01 unchanged; "tutorial" returns x01 * 0.99 + 0.01. A
    model trained with a scaling calls this on its inputs, so that it can be
    fed the same [0, 1] pixels as any other model.

    Args:
        x01: float array of any shape with values in [0, 1] (not checked).
        scaling: a name from `SCALINGS`.

    Returns:
        An array of the same shape and float dtype (float32 stays float32).
    """
    multiplier, offset = _scaling(scaling)
    x01 = np.asarray(x01)
    if not np.issubdtype(x01.dtype, np.floating):
        raise ValueError(f"x01 must be floats in [0, 1], got dtype {x01.dtype}; "
                         f"for uint8 pixels 0..255 use scale_pixels")
    if scaling == "unit":
        return x01
    return x01 * multiplier + offset  # Python floats keep the array's dtype


def _scaling(scaling):
    if scaling not in SCALINGS:
        raise ValueError(f"unknown scaling {scaling!r}; known: {', '.join(SCALINGS)}")
    return SCALINGS[scaling]


def one_hot(labels, n_classes=N_CLASSES, off=0.0, on=1.0):
    """Labels -> target rows: row i is `off` everywhere except `on` in column labels[i].

    one_hot([2, 0], 3) is [[0, 0, 1], [1, 0, 0]]. The tutorial's sigmoid
    outputs can never reach 0 or 1, so its targets are off=0.01, on=0.99.

    Args:
        labels: integer class labels, shape (n,), each in 0..n_classes-1.
        n_classes: number of columns k.
        off, on: the values for the other classes and for the true class.

    Returns:
        float32 array of shape (n, k).
    """
    if isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)) or n_classes < 1:
        raise ValueError(f"n_classes must be a positive integer, got {n_classes!r}")
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"labels must have shape (n,), got {labels.shape}")
    if labels.size == 0:
        labels = labels.astype(np.int64)  # np.asarray([]) is float64
    if labels.dtype == bool or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be integers, got dtype {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"labels must be in 0..{n_classes - 1} for n_classes={n_classes}, "
                         f"got labels from {labels.min()} to {labels.max()}")
    for value_name, value in (("off", off), ("on", on)):
        if not np.isfinite(value):
            raise ValueError(f"{value_name} must be a finite number, got {value!r}")
    targets = np.full((len(labels), n_classes), off, dtype=np.float32)
    targets[np.arange(len(labels)), labels.astype(np.intp)] = on
    return targets
