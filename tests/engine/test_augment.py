"""Augmentation: identity maps change nothing, shifts move pixels, batches keep shape and range."""

import numpy as np

from engine.augment import affine_batch, augment_batch, change_thickness


def test_identity_map_returns_the_image():
    rng = np.random.default_rng(0)
    images = rng.uniform(size=(3, 28, 28)).astype(np.float32)
    out = affine_batch(images, np.tile(np.eye(2), (3, 1, 1)), np.zeros((3, 2)))
    np.testing.assert_allclose(out, images, atol=2e-3)


def test_whole_pixel_shift_moves_the_image():
    images = np.zeros((1, 28, 28), np.float32)
    images[0, 10, 12] = 1.0
    out = affine_batch(images, np.eye(2)[None], np.array([[2.0, -3.0]]))  # down 2, left 3
    assert out[0, 12, 9] > 0.99 and out.sum() < 1.01


def test_rotation_by_90_degrees_turns_a_bar():
    images = np.zeros((1, 28, 28), np.float32)
    images[0, 13:15, 4:24] = 1.0  # a horizontal bar through the centre
    quarter_turn = np.array([[[0.0, -1.0], [1.0, 0.0]]])
    out = affine_batch(images, quarter_turn, np.zeros((1, 2)))
    rows, cols = np.nonzero(out[0] > 0.5)
    assert np.ptp(rows) > 15 and np.ptp(cols) <= 2  # now vertical


def test_thickness_changes_ink_amount():
    images = np.zeros((3, 28, 28), np.float32)
    images[:, 5:20, 13] = 1.0
    out = change_thickness(images, np.array([1, 0, -1]))
    assert out[0].sum() > images[0].sum() * 1.9
    np.testing.assert_array_equal(out[1], images[1])
    assert out[2].sum() < images[2].sum()


def test_augment_batch_keeps_shape_dtype_range_and_is_seeded():
    xb = np.random.default_rng(1).uniform(size=(16, 784)).astype(np.float32)
    a = augment_batch(xb, np.random.default_rng(5))
    b = augment_batch(xb, np.random.default_rng(5))
    assert a.shape == xb.shape and a.dtype == np.float32
    assert a.min() >= 0.0 and a.max() <= 1.0
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, xb)
