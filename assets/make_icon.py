"""Draw assets/icon.png, the browser tab's icon: a small network (2 -> 3 -> 1 units).

    python assets/make_icon.py

The app serves the file itself (app.py's page_icon), so the tab needs nothing
from outside: a classroom without internet sees the whole app. Drawn at four
times the size, then scaled down to 64 x 64 for smooth edges. Colours are the
app's theme (.streamlit/config.toml: primaryColor #1f6fc5, text #1c2430).
"""

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 64
SCALE = 4
BLUE = (31, 111, 197, 255)  # primaryColor
DARK = (28, 36, 48, 255)  # textColor
WHITE = (255, 255, 255, 255)
# Unit centres on a 64 x 64 canvas, layer by layer: 2 inputs, 3 hidden, 1 output.
LAYERS = [[(13, 22), (13, 42)], [(32, 12), (32, 32), (32, 52)], [(51, 32)]]
RADIUS = 6.5
LINE = 2.0


def draw(path=Path(__file__).with_name("icon.png")):
    big = SIZE * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    # A white rounded square behind the glyph, so it reads on dark tabs too.
    pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=12 * SCALE, fill=WHITE)

    def at(point):
        return point[0] * SCALE, point[1] * SCALE

    for left, right in zip(LAYERS, LAYERS[1:]):
        for a in left:
            for b in right:
                pen.line((at(a), at(b)), fill=DARK, width=round(LINE * SCALE))
    r = RADIUS * SCALE
    for layer in LAYERS:
        for point in layer:
            x, y = at(point)
            pen.ellipse((x - r, y - r, x + r, y + r), fill=BLUE, outline=WHITE,
                        width=round(1.5 * SCALE))
    image.resize((SIZE, SIZE), Image.Resampling.LANCZOS).save(path, optimize=True)
    return path


if __name__ == "__main__":
    print(draw())
