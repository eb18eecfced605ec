"""Random distortions of MNIST digits, so a network learns to read real handwriting.

A digit drawn with a mouse is never quite like MNIST: it leans, it is a bit
bigger or smaller, off-centre, its strokes thicker or thinner. Training on
digits distorted in those ways at random (a new distortion every time a digit
is seen) teaches the network to ignore them.

    augment_batch(xb, rng)    xb: (n, 784) float32 pixels in [0, 1]

Each image gets its own random affine map (rotation, scale, shear, shift),
applied by bilinear interpolation for the whole batch at once, and then,
for some images, its strokes thickened or thinned by one pixel.
"""

import numpy as np

SIDE = 28


def random_affine(n, rng, max_rotation=15.0, scale=(0.85, 1.15), max_shear=0.15, max_shift=2.5):
    """n random 2x2 matrices and shifts (in pixels) mapping output to input coordinates."""
    angle = np.deg2rad(rng.uniform(-max_rotation, max_rotation, n))
    s = rng.uniform(*scale, n)
    shear = rng.uniform(-max_shear, max_shear, n)
    cos, sin = np.cos(angle), np.sin(angle)
    # forward map: rotate, shear, scale; we need its inverse to sample the input
    a = np.empty((n, 2, 2))
    a[:, 0, 0], a[:, 0, 1] = cos * s, (-sin + shear * cos) * s
    a[:, 1, 0], a[:, 1, 1] = sin * s, (cos + shear * sin) * s
    inverse = np.linalg.inv(a)
    shift = rng.uniform(-max_shift, max_shift, (n, 2))
    return inverse, shift


def affine_batch(images, inverse, shift):
    """Warp (n, 28, 28) images: out[y, x] = in[inverse @ ((y, x) - centre - shift) + centre]."""
    n = len(images)
    centre = (SIDE - 1) / 2
    rows, cols = np.mgrid[0:SIDE, 0:SIDE].astype(np.float32)
    dy = rows.ravel()[None, :] - centre - shift[:, :1].astype(np.float32)  # (n, 784)
    dx = cols.ravel()[None, :] - centre - shift[:, 1:].astype(np.float32)
    inv = inverse.astype(np.float32)
    r = inv[:, 0, :1] * dy + inv[:, 0, 1:] * dx + centre
    c = inv[:, 1, :1] * dy + inv[:, 1, 1:] * dx + centre
    # bilinear interpolation from a zero-padded copy (samples outside read 0)
    width = SIDE + 2
    padded = np.zeros((n, width, width), np.float32)
    padded[:, 1:-1, 1:-1] = images
    np.clip(r, -1.0, SIDE - 1.001, out=r)
    np.clip(c, -1.0, SIDE - 1.001, out=c)
    r0, c0 = np.floor(r), np.floor(c)
    fr, fc = r - r0, c - c0
    base = ((r0.astype(np.int32) + 1) * width + (c0.astype(np.int32) + 1)
            + (np.arange(n, dtype=np.int32) * width * width)[:, None])
    flat = padded.ravel()
    top = flat[base] * (1 - fc) + flat[base + 1] * fc
    bottom = flat[base + width] * (1 - fc) + flat[base + width + 1] * fc
    return (top * (1 - fr) + bottom * fr).reshape(n, SIDE, SIDE)


def change_thickness(images, which):
    """Thicken (which = +1) or thin (which = -1) strokes by a 2x2 max / min filter."""
    out = images.copy()
    for sign, op in ((1, np.maximum), (-1, np.minimum)):
        sel = which == sign
        if not sel.any():
            continue
        im = images[sel]
        shifted = [im, np.roll(im, 1, axis=1), np.roll(im, 1, axis=2),
                   np.roll(np.roll(im, 1, axis=1), 1, axis=2)]
        out[sel] = op.reduce(shifted) if sign > 0 else np.maximum(
            op.reduce(shifted), im * 0.5)  # thinning keeps faint strokes faint, not gone
    return out


def augment_batch(xb, rng, thickness_probability=0.3):
    """A randomly distorted copy of a batch of flattened digits, shape kept."""
    n = len(xb)
    images = xb.reshape(n, SIDE, SIDE)
    inverse, shift = random_affine(n, rng)
    warped = affine_batch(images, inverse, shift)
    which = rng.choice([-1, 0, 1], size=n, p=[thickness_probability / 2,
                                              1 - thickness_probability,
                                              thickness_probability / 2])
    warped = change_thickness(warped, which)
    np.clip(warped, 0.0, 1.0, out=warped)
    return warped.reshape(n, SIDE * SIDE).astype(xb.dtype, copy=False)
