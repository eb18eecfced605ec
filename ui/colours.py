"""The app's colours, one place for every chart and picture.

Class k is drawn in CLASS_COLOURS[k] on every page (class 0 orange, class 1
blue, as in TensorFlow's playground), so a class keeps its colour from page
to page.
"""

# Class k -> colour. Tableau 10 colours, reordered so that 0 is orange and 1 is blue.
CLASS_COLOURS = (
    "#f28e2b",  # 0 orange
    "#4e79a7",  # 1 blue
    "#59a14f",  # 2 green
    "#e15759",  # 3 red
    "#b07aa1",  # 4 purple
    "#9c755f",  # 5 brown
    "#ff9da7",  # 6 pink
    "#76b7b2",  # 7 teal
    "#edc948",  # 8 yellow
    "#79706e",  # 9 grey
)

# Lines (loss, accuracy, ...) cycle through the same palette, blue first.
LINE_COLOURS = (CLASS_COLOURS[1], CLASS_COLOURS[0]) + CLASS_COLOURS[2:]

INK = "#1c2430"  # text and outlines


def class_colour(label):
    """Colour of class `label` (an int; labels past 9 wrap around)."""
    return CLASS_COLOURS[int(label) % len(CLASS_COLOURS)]
