"""MNIST loading (IDX parsing, checksums), pixel scalings and one-hot targets."""

import gzip
import hashlib
import struct

import numpy as np
import pytest

from engine import mnist
from engine.mnist import CHECKSUMS, SCALINGS, load_mnist, one_hot, rescale_unit, scale_pixels

FILES = list(CHECKSUMS)


@pytest.fixture(scope="module")
def mnist_data():
    """Loaded once for the module, with the checksums verified."""
    return load_mnist(verify=True)


# ------------------------------------------------------------------- loading


def test_shapes_and_dtypes(mnist_data):
    (x_train, y_train), (x_test, y_test) = mnist_data
    assert x_train.shape == (60000, 28, 28) and y_train.shape == (60000,)
    assert x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    for array in (x_train, y_train, x_test, y_test):
        assert array.dtype == np.uint8


def test_first_labels(mnist_data):
    (_, y_train), (_, y_test) = mnist_data
    np.testing.assert_array_equal(y_train[:5], [5, 0, 4, 1, 9])
    np.testing.assert_array_equal(y_test[:5], [7, 2, 1, 0, 4])


def test_pixels_and_labels_cover_their_ranges(mnist_data):
    (x_train, y_train), (x_test, y_test) = mnist_data
    assert x_train.min() == 0 and x_train.max() == 255
    np.testing.assert_array_equal(np.unique(y_train), np.arange(10))
    np.testing.assert_array_equal(np.unique(y_test), np.arange(10))
    # white digit on black: the border is background, the centre has ink
    assert x_train[:, 0, :].mean() < 0.1 and x_train[:, 13:15, 13:15].mean() > 50


def test_class_counts_of_the_test_set(mnist_data):
    (_, _), (_, y_test) = mnist_data
    # the well-known MNIST test-set class sizes
    np.testing.assert_array_equal(np.bincount(y_test),
                                  [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])


def test_arrays_are_read_only_views(mnist_data):
    (x_train, _), _ = mnist_data
    assert not x_train.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        x_train[0, 0, 0] = 1


def test_default_path_does_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert mnist.DATA_DIR.is_dir()
    assert all((mnist.DATA_DIR / f"{name}.gz").is_file() for name in FILES)


def test_checksums_match_the_data_readme():
    readme = (mnist.DATA_DIR / "README.md").read_text()
    for name, digest in CHECKSUMS.items():
        assert name in readme and digest in readme


# ------------------------------------------------- missing and corrupt files


@pytest.fixture
def small_mnist(tmp_path, mnist_data):
    """A folder of valid uncompressed IDX files holding the first 3 train and 2 test samples."""
    for prefix, (images, labels), n in zip(("train", "t10k"), mnist_data, (3, 2)):
        # IDX: magic 00 00 08 <ndim>, big-endian uint32 sizes, then the bytes
        (tmp_path / f"{prefix}-images-idx3-ubyte").write_bytes(
            struct.pack(">4B3I", 0, 0, 8, 3, n, 28, 28) + images[:n].tobytes())
        (tmp_path / f"{prefix}-labels-idx1-ubyte").write_bytes(
            struct.pack(">4BI", 0, 0, 8, 1, n) + labels[:n].tobytes())
    return tmp_path


def test_reads_uncompressed_files(small_mnist, mnist_data):
    (x_train, y_train), (x_test, y_test) = load_mnist(small_mnist)
    np.testing.assert_array_equal(y_train, [5, 0, 4])
    np.testing.assert_array_equal(x_train, mnist_data[0][0][:3])
    np.testing.assert_array_equal(x_test, mnist_data[1][0][:2])


def test_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="MNIST folder .* does not exist"):
        load_mnist(tmp_path / "nowhere")


def test_missing_file(small_mnist):
    (small_mnist / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(FileNotFoundError, match=r"t10k-labels-idx1-ubyte.gz \(or t10k-labels"):
        load_mnist(small_mnist)


def test_verify_detects_a_changed_file(small_mnist):
    load_mnist(small_mnist)  # structurally fine
    with pytest.raises(ValueError, match="train-images-idx3-ubyte: SHA-256 .* is corrupt"):
        load_mnist(small_mnist, verify=True)


def test_bad_gzip(small_mnist):
    (small_mnist / "train-images-idx3-ubyte.gz").write_bytes(b"\x1f\x8b\x08 not really gzip")
    with pytest.raises(ValueError, match="is not a valid gzip file"):
        load_mnist(small_mnist)


def test_truncated_gzip(small_mnist, tmp_path):
    path = small_mnist / "train-labels-idx1-ubyte"
    compressed = gzip.compress(path.read_bytes())
    (small_mnist / "train-labels-idx1-ubyte.gz").write_bytes(compressed[:len(compressed) // 2])
    with pytest.raises(ValueError, match="is not a valid gzip file"):
        load_mnist(small_mnist)


@pytest.mark.parametrize("change, message", [
    (lambda b: b"\x00\x00\x08", "too short for an IDX header"),
    (lambda b: b"\x00\x00\x0d\x03" + b[4:], "magic number 00000d03 is not that of a 3-D"),
    (lambda b: b"\x00\x00\x08\x01" + b[4:], "magic number 00000801 is not that of a 3-D"),
    (lambda b: b[:-1], "needs 2368 bytes, but the file has 2367; it is truncated"),
    (lambda b: b + b"\x00", "but the file has 2369"),
    (lambda b: struct.pack(">4B3I", 0, 0, 8, 3, 3, 28, 27) + b[16:16 + 3 * 28 * 27],
     "expected 28x28 images, got 28x27"),
])
def test_corrupt_image_file(small_mnist, change, message):
    path = small_mnist / "train-images-idx3-ubyte"
    path.write_bytes(change(path.read_bytes()))
    with pytest.raises(ValueError, match=message):
        load_mnist(small_mnist)


def test_images_and_labels_must_agree(small_mnist):
    labels = small_mnist / "t10k-labels-idx1-ubyte"
    labels.write_bytes(struct.pack(">4BI", 0, 0, 8, 1, 3) + bytes([7, 2, 1]))
    with pytest.raises(ValueError, match="t10k: 2 images but 3 labels"):
        load_mnist(small_mnist)


def test_labels_must_be_digits(small_mnist):
    labels = small_mnist / "train-labels-idx1-ubyte"
    labels.write_bytes(struct.pack(">4BI", 0, 0, 8, 1, 3) + bytes([5, 10, 4]))
    with pytest.raises(ValueError, match="labels must be 0..9, found 10"):
        load_mnist(small_mnist)


def test_reads_gzip_files_of_another_folder(small_mnist):
    for name in FILES:
        path = small_mnist / name
        path.with_name(f"{name}.gz").write_bytes(gzip.compress(path.read_bytes()))
        path.unlink()
    (_, y_train), (_, y_test) = load_mnist(small_mnist)
    np.testing.assert_array_equal(y_test, [7, 2])


def test_verify_uses_the_checksums_table(small_mnist, monkeypatch):
    # with the small files' own digests in CHECKSUMS, verification passes
    digests = {name: hashlib.sha256((small_mnist / name).read_bytes()).hexdigest()
               for name in FILES}
    monkeypatch.setattr(mnist, "CHECKSUMS", digests)
    (_, y_train), _ = load_mnist(small_mnist, verify=True)
    np.testing.assert_array_equal(y_train, [5, 0, 4])


# ------------------------------------------------------------------ scalings


PIXELS = np.array([[0, 1, 128, 254, 255] + [0] * 779], dtype=np.uint8)


def test_unit_scaling_values():
    X = scale_pixels(PIXELS, "unit")
    assert X.shape == (1, 784) and X.dtype == np.float32
    np.testing.assert_allclose(X[0, :5], [0, 1 / 255, 128 / 255, 254 / 255, 1], rtol=1e-7)
    assert X[0, 0] == 0.0 and X[0, 4] == 1.0   # end points exact


def test_tutorial_scaling_values():
    X = scale_pixels(PIXELS, "tutorial")
    assert X.dtype == np.float32
    # x / 255 * 0.99 + 0.01: 0 -> 0.01, 255 -> 1.0
    np.testing.assert_allclose(X[0, :5], [0.01, 1 / 255 * 0.99 + 0.01, 128 / 255 * 0.99 + 0.01,
                                          254 / 255 * 0.99 + 0.01, 1.0], rtol=1e-6)
    assert X.min() == np.float32(0.01) and X.max() == 1.0


@pytest.mark.parametrize("scaling", list(SCALINGS))
def test_scaling_range_on_the_test_set(mnist_data, scaling):
    (_, _), (x_test, _) = mnist_data
    X = scale_pixels(x_test[:500], scaling)
    multiplier, offset = SCALINGS[scaling]
    assert X.shape == (500, 784) and X.dtype == np.float32
    assert X.min() == np.float32(offset) and X.max() == np.float32(multiplier + offset)


@pytest.mark.parametrize("scaling", list(SCALINGS))
def test_scale_pixels_is_rescale_unit_of_unit_pixels(mnist_data, scaling):
    (_, _), (x_test, _) = mnist_data
    images = x_test[:50]
    np.testing.assert_array_equal(scale_pixels(images, scaling),
                                  rescale_unit(scale_pixels(images, "unit"), scaling))


@pytest.mark.parametrize("shape", [(3, 28, 28), (3, 784), (28, 28), (784,)])
def test_scale_pixels_accepts_image_shapes(shape):
    x = np.arange(np.prod(shape)).astype(np.uint8).reshape(shape)
    X = scale_pixels(x)
    assert X.shape == ((3 if len(shape) > 1 and shape[0] == 3 else 1), 784)
    np.testing.assert_array_equal(X.ravel(), x.ravel() / np.float32(255))


def test_rescale_unit_keeps_float_dtype_and_values():
    x32 = np.array([0.0, 0.5, 1.0], dtype=np.float32)
    assert rescale_unit(x32, "unit") is x32
    tutorial = rescale_unit(x32, "tutorial")
    assert tutorial.dtype == np.float32
    np.testing.assert_allclose(tutorial, [0.01, 0.505, 1.0], rtol=1e-6)
    assert rescale_unit(x32.astype(np.float64), "tutorial").dtype == np.float64
    np.testing.assert_array_equal(x32, [0.0, 0.5, 1.0])  # input untouched


@pytest.mark.parametrize("call, message", [
    (lambda: scale_pixels(PIXELS, "centred"), "unknown scaling 'centred'; known: unit, tutorial"),
    (lambda: rescale_unit(np.zeros(3), "z"), "unknown scaling 'z'"),
    (lambda: scale_pixels(PIXELS.astype(np.float32)), "must be uint8 pixels .* dtype float32"),
    (lambda: scale_pixels(np.zeros((2, 27, 27), np.uint8)), r"shape \(n, 28, 28\) or \(n, 784\)"),
    (lambda: rescale_unit(PIXELS, "tutorial"), "x01 must be floats .* use scale_pixels"),
])
def test_scaling_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ------------------------------------------------------------------- one-hot


def test_one_hot_rows():
    T = one_hot(np.array([2, 0, 9]))
    assert T.shape == (3, 10) and T.dtype == np.float32
    np.testing.assert_array_equal(T[0], [0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(T[1], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(T.argmax(axis=1), [2, 0, 9])
    np.testing.assert_array_equal(T.sum(axis=1), 1.0)


def test_one_hot_tutorial_targets(mnist_data):
    (_, y_train), _ = mnist_data
    T = one_hot(y_train[:5], off=0.01, on=0.99)   # labels 5, 0, 4, 1, 9
    np.testing.assert_array_equal(T[0], np.float32([0.01] * 5 + [0.99] + [0.01] * 4))
    np.testing.assert_array_equal(T.argmax(axis=1), [5, 0, 4, 1, 9])
    np.testing.assert_allclose(T.sum(axis=1), 0.99 + 9 * 0.01, rtol=1e-6)


def test_one_hot_small_and_empty():
    np.testing.assert_array_equal(one_hot([1, 0], n_classes=2), [[0, 1], [1, 0]])
    assert one_hot([], n_classes=4).shape == (0, 4)


@pytest.mark.parametrize("labels, n_classes, message", [
    ([0, 10], 10, r"labels must be in 0..9 for n_classes=10, got labels from 0 to 10"),
    ([-1, 2], 3, "got labels from -1 to 2"),
    ([0.0, 1.0], 10, "labels must be integers, got dtype float64"),
    ([True, False], 2, "labels must be integers, got dtype bool"),
    ([[0, 1]], 10, r"labels must have shape \(n,\), got \(1, 2\)"),
    ([0], 0, "n_classes must be a positive integer, got 0"),
])
def test_one_hot_rejects_bad_labels(labels, n_classes, message):
    with pytest.raises(ValueError, match=message):
        one_hot(labels, n_classes)
