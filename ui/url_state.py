"""The playground's settings <-> the page's address (st.query_params), from one table.

As in tensorflow/playground's state.ts, every setting is one row of SETTINGS:
its name in the URL, its kind, its choices or range, its default. The same
rows fill in the defaults, read a link (with a note, in words, for every
value that could not be used) and write the settings back, so a new setting
is one new row. Choices that the engine registers (data sets, activations,
optimizers, input features) come from ui.catalog each time they are needed,
so `?data=NEWNAME` works as soon as the engine registers NEWNAME.

Settings are plain dicts: `shared` (the data and the view, shared by both
networks) and `nets`, {"a": {...}, "b": {...}}, one per network; network B's
settings carry the prefix b_ in the URL (b_hidden=8,8), and only when
comparing.

    >>> shared, nets, notes = settings_from_url({"data": "spiral3", "hidden": "8,8"})
    >>> nets["a"]["hidden"], shared["noise"], notes
    ([8, 8], 0, [])
    >>> settings_to_url(shared, nets)["hidden"]
    '8,8'

Everything here is pure: no Streamlit. The widgets' keys (playground_<name>,
playground_<c>_<name>, playground_<c>_units<i>, playground_<c>_act<i>) are
filled and read by store_shared / store_net / read_shared / read_net, given
any dict-like store (the page passes st.session_state).
"""

import math
from dataclasses import dataclass

from engine import parse_hidden
from engine.build import HIDDEN_FORMAT
from ui import catalog
from ui.text import plain

MAX_HIDDEN_LAYERS = 6
MAX_UNITS = 16
MIN_POINTS = 20
MAX_POINTS = 1000
MAX_BATCH = 100
MAX_SEED = 99_999
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
SPEEDS = (1, 2, 5, 10, 25)  # epochs per screen update
LOSSES = ("ce", "mse")  # cross-entropy (binary or not, by the number of classes), squared error
REGULARIZATIONS = ("none", "l1", "l2")
CSV = "csv"  # the data set "your own CSV file"
NETS = ("a", "b")  # network A, and network B when comparing
B_PREFIX = "b_"
MAX_NOTES = 10  # notes about a link at most (the rest are counted in the last one)
MAX_UNKNOWN_NAMES = 5  # unknown names listed in their note at most (the rest are counted)
QUOTE_CHARS = 40  # characters of a link's name or value quoted in a note at most


def dataset_names():
    """Every data set a link may name: the engine's 2-D sets, then the learner's own CSV."""
    return catalog.plane_datasets() + [CSV]


@dataclass(frozen=True)
class Setting:
    """One row of the table: a setting's URL name, kind, default and what it may be.

    kind: "choice" (one of `options`), "names" (a comma-separated list from
    `options`, at least one), "whole" (a whole number from low to high),
    "number" (one of the numbers in `options`), "flag" (1 or 0), "hidden"
    (hidden layer sizes, e.g. 4,2 or none), "acts" (hidden activations, one
    for all layers or one per layer). `options` is a tuple, or a function
    giving the names (read from the engine's registries when needed).
    per_net: a setting of each network (else shared by both).
    """

    name: str
    kind: str
    default: object
    options: object = ()
    low: int = 0
    high: int = 0
    per_net: bool = False

    def choices(self):
        return list(self.options() if callable(self.options) else self.options)

    def parse(self, text):
        """The value a URL's text stands for; ValueError saying what was expected."""
        return _PARSERS[self.kind](self, str(text))

    def write(self, value):
        """The value as the URL spells it."""
        return _WRITERS[self.kind](self, value)

    def fresh_default(self):
        """The default, as a new list where it is a list (callers may change it)."""
        return list(self.default) if isinstance(self.default, tuple) else self.default


SETTINGS = (
    Setting("data", "choice", "circle", dataset_names),
    Setting("noise", "whole", 0, low=0, high=50),
    Setting("points", "whole", 500, low=MIN_POINTS, high=MAX_POINTS),
    Setting("train", "whole", 50, low=10, high=90),
    Setting("seed", "whole", 0, low=0, high=MAX_SEED),
    Setting("wseed", "whole", 0, low=0, high=MAX_SEED),
    Setting("test", "flag", True),
    Setting("discretize", "flag", False),
    Setting("speed", "number", 1, SPEEDS),
    Setting("compare", "flag", False),
    Setting("inputs", "names", ("x1", "x2"), catalog.feature_names, per_net=True),
    Setting("hidden", "hidden", (4, 2), per_net=True),
    Setting("act", "acts", ("tanh",), catalog.hidden_activations, per_net=True),
    Setting("loss", "choice", "ce", LOSSES, per_net=True),
    Setting("opt", "choice", "sgd", catalog.optimizer_names, per_net=True),
    Setting("lr", "number", 0.03, LEARNING_RATES, per_net=True),
    Setting("batch", "whole", 10, low=1, high=MAX_BATCH, per_net=True),
    Setting("reg", "choice", "none", REGULARIZATIONS, per_net=True),
    Setting("rate", "number", 0.0, REG_RATES, per_net=True),
)
DATA_SETTINGS = tuple(s for s in SETTINGS if not s.per_net)
NET_SETTINGS = tuple(s for s in SETTINGS if s.per_net)


# ------------------------------------------------------ reading and writing values


def _parse_choice(setting, text):
    options = setting.choices()
    if text not in options:
        raise ValueError(f"expected one of {', '.join(options)}")
    return text


def _parse_names(setting, text):
    options = setting.choices()
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names or any(name not in options for name in names):
        raise ValueError(f"expected a comma-separated list of {', '.join(options)}")
    return [name for name in options if name in names]  # the registry's order, no repeats


def _parse_whole(setting, text):
    expected = f"expected a whole number from {setting.low} to {setting.high}"
    try:
        value = int(text)
    except ValueError:
        raise ValueError(expected) from None
    if not setting.low <= value <= setting.high:
        raise ValueError(expected)
    return value


def _parse_number(setting, text):
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    for value in setting.options:
        if math.isclose(number, value, rel_tol=1e-6, abs_tol=1e-12):
            return value
    raise ValueError(f"expected one of {', '.join(f'{v:g}' for v in setting.options)}")


def _parse_flag(setting, text):
    if text.lower() in ("1", "true", "yes", "on"):
        return True
    if text.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError("expected 1 or 0")


def _parse_hidden(setting, text):
    if text.strip() == "0":  # links made before "none" was written say 0
        return []
    try:
        return parse_hidden(text, max_layers=MAX_HIDDEN_LAYERS, max_units=MAX_UNITS)
    except ValueError as err:
        expected = (f"expected up to {MAX_HIDDEN_LAYERS} hidden layers of 1 to {MAX_UNITS} "
                    f"units each, separated by commas, e.g. 4,2 (or none)")
        if str(err).startswith(HIDDEN_FORMAT):  # its example fits the MNIST page, not here
            raise ValueError(expected) from None
        raise ValueError(f"{expected}; {err}") from None


def _parse_acts(setting, text):
    options = setting.choices()
    names = [name.strip() for name in text.split(",")] if text.strip() else []
    if not names or any(name not in options for name in names):
        raise ValueError(f"expected activations from {', '.join(options)}, "
                         f"one per hidden layer or one for all")
    return names


def _join(setting, values):
    return ",".join(str(value) for value in values)


_PARSERS = {"choice": _parse_choice, "names": _parse_names, "whole": _parse_whole,
            "number": _parse_number, "flag": _parse_flag, "hidden": _parse_hidden,
            "acts": _parse_acts}
_WRITERS = {"choice": lambda s, v: str(v), "names": _join, "whole": lambda s, v: str(v),
            "number": lambda s, v: f"{v:g}", "flag": lambda s, v: "1" if v else "0",
            "hidden": lambda s, v: _join(s, v) if v else "none", "acts": _join}


# ------------------------------------------------------------------ whole links


def defaults():
    """All settings at their defaults: (shared dict, {"a": net dict, "b": net dict})."""
    shared = {s.name: s.fresh_default() for s in DATA_SETTINGS}
    nets = {c: {s.name: s.fresh_default() for s in NET_SETTINGS} for c in NETS}
    return shared, nets


def layer_activations(net):
    """One activation per hidden layer (a single name in `act` applies to all)."""
    acts = net["act"]
    if len(acts) == len(net["hidden"]):
        return list(acts)
    return [acts[0]] * len(net["hidden"])


def compact_activations(net):
    """["tanh", "tanh"] -> ["tanh"]: one name when every layer uses it."""
    acts = layer_activations(net) or list(net["act"][:1])
    return acts[:1] if len(set(acts)) <= 1 else acts


# Keys of the address that the app's frame reads, not the playground (ui/presenter.py).
FRAME_KEYS = ("present",)


def settings_from_url(params):
    """Read settings from the URL's query parameters.

    Args:
        params: dict of str -> str (st.query_params.to_dict()).

    Returns:
        (shared, nets, notes): settings as in `defaults()`, with every value
        the URL gave that could be read; notes lists, in words, each value
        that could not (its default is used instead) and the unknown names.

    Each note is Markdown in which whatever came from the link is passed
    through ui.text.plain (shown as typed, cut to QUOTE_CHARS characters);
    there are at most MAX_NOTES notes, however long or crafted the link.
    {"noise": "300", "**x**": "1"} gives two notes, which read

        `noise` = “300”: expected a whole number from 0 to 50; using the default `0`.
        Unknown setting “**x**” ignored.         (the stars escaped: \\*\\*x\\*\\*)
    """
    shared, nets = defaults()
    notes = []
    known = set()

    def read(setting, url_name, target):
        known.add(url_name)
        if url_name not in params:
            return
        text = str(params[url_name])
        try:
            target[setting.name] = setting.parse(text)
        except ValueError as err:  # the message may quote the value: plain() it too
            notes.append(f"`{url_name}` = “{plain(text, QUOTE_CHARS)}”: {plain(err, 200)}; "
                         f"using the default `{setting.write(setting.default)}`.")

    for setting in DATA_SETTINGS:
        read(setting, setting.name, shared)
    for c, prefix in (("a", ""), ("b", B_PREFIX)):
        for setting in NET_SETTINGS:
            read(setting, prefix + setting.name, nets[c])
        net = nets[c]
        if len(net["act"]) not in (1, len(net["hidden"])):
            notes.append(f"`{prefix}act` gives {len(net['act'])} activations for "
                         f"{len(net['hidden'])} hidden layers; using "
                         f"{net['act'][0]} for every layer.")
            net["act"] = [net["act"][0]]
        net["act"] = layer_activations(net) or [net["act"][0]]
    if not any(k.startswith(B_PREFIX) for k in params) and shared["compare"]:
        nets["b"] = copy_net(nets["a"])
    unknown = sorted(set(params) - known - set(FRAME_KEYS))
    if unknown:
        notes.append(unknown_note(unknown))
    if len(notes) > MAX_NOTES:
        more = len(notes) - MAX_NOTES + 1
        notes[MAX_NOTES - 1:] = [f"… and {more} more settings that could not be used."]
    return shared, nets, notes


def unknown_note(names):
    """'Unknown settings “a”, “b” and 3 more ignored.' (names shown as typed, cut short)."""
    shown = ", ".join(f"“{plain(name, QUOTE_CHARS)}”" for name in names[:MAX_UNKNOWN_NAMES])
    if len(names) > MAX_UNKNOWN_NAMES:
        shown += f" and {len(names) - MAX_UNKNOWN_NAMES:,} more"
    return f"Unknown setting{'s' if len(names) > 1 else ''} {shown} ignored."


def settings_to_url(shared, nets):
    """The query parameters that encode these settings (B only when comparing)."""
    params = {s.name: s.write(shared[s.name]) for s in DATA_SETTINGS}
    for c, prefix in (("a", ""), ("b", B_PREFIX)):
        if c == "b" and not shared["compare"]:
            continue
        for s in NET_SETTINGS:
            value = compact_activations(nets[c]) if s.name == "act" else nets[c][s.name]
            params[prefix + s.name] = s.write(value)
    return params


def copy_net(net):
    return {k: list(v) if isinstance(v, list) else v for k, v in net.items()}


# ------------------------------------------------------- presets: set-ups worth showing

PRESETS = {
    "Circle: one hidden layer of 3 units": dict(
        data="circle", noise=0, net=dict(inputs=["x1", "x2"], hidden=[3], act=["tanh"],
                                         opt="sgd", lr=0.03, batch=10)),
    "Circle: squared inputs, no hidden layer": dict(
        data="circle", noise=0, net=dict(inputs=["x1sq", "x2sq"], hidden=[], act=["tanh"],
                                         opt="sgd", lr=0.03, batch=10)),
    "XOR: the product x₁x₂ is all you need": dict(
        data="xor", noise=0, net=dict(inputs=["x1x2"], hidden=[], act=["tanh"],
                                      opt="sgd", lr=0.03, batch=10)),
    "XOR: x₁, x₂ and a hidden layer of 4": dict(
        data="xor", noise=0, net=dict(inputs=["x1", "x2"], hidden=[4], act=["tanh"],
                                      opt="sgd", lr=0.03, batch=10)),
    "Spiral: sine inputs and two layers of 8 (learns fast)": dict(
        data="spiral", noise=10, speed=2,
        net=dict(inputs=["x1", "x2", "sinx1", "sinx2"], hidden=[8, 8], act=["tanh"],
                 opt="adam", lr=0.03, batch=10)),
    "Spiral from x₁, x₂ only: three layers of 8 (hard)": dict(
        data="spiral", noise=0, speed=5,
        net=dict(inputs=["x1", "x2"], hidden=[8, 8, 8], act=["tanh"],
                 opt="adam", lr=0.01, batch=10)),
    "Spiral with 3 classes: a softmax output": dict(
        data="spiral3", noise=0, speed=2,
        net=dict(inputs=["x1", "x2", "sinx1", "sinx2"], hidden=[8, 8], act=["tanh"],
                 opt="adam", lr=0.03, batch=10)),
    "Logic gate XOR: the smallest network that can (2 hidden units)": dict(
        data="gate_xor", noise=10, points=200, speed=5,
        net=dict(inputs=["x1", "x2"], hidden=[2], act=["tanh"], opt="adam", lr=0.03,
                 batch=10)),
    "Overfitting: few noisy points, a big network": dict(
        data="circle", noise=50, points=100, train=30, speed=5,
        net=dict(inputs=["x1", "x2"], hidden=[16, 16, 16], act=["relu"], opt="adam",
                 lr=0.01, batch=10)),
    # 90 noisy training points: A memorises them; B (L2) has the better test loss AND test
    # accuracy at every epoch (seen from 10 to 4,000; tests/ui/test_l2_preset.py).
    "Compare: the same big network without / with L2 regularization": dict(
        data="circle", noise=50, points=300, train=30, speed=5, compare=True,
        net=dict(inputs=["x1", "x2"], hidden=[16, 16, 16], act=["relu"], opt="adam",
                 lr=0.01, batch=10),
        b=dict(reg="l2", rate=0.03)),
    "Compare: tanh against ReLU on the spiral": dict(
        data="spiral", noise=0, speed=2, compare=True,
        net=dict(inputs=["x1", "x2", "sinx1", "sinx2"], hidden=[8, 8], act=["tanh"],
                 opt="adam", lr=0.03, batch=10),
        b=dict(act=["relu"])),
    "Compare: learning rate 0.03 against 3 (too big: it jumps about)": dict(
        data="circle", noise=10, speed=2, compare=True,
        net=dict(inputs=["x1", "x2"], hidden=[4, 2], act=["tanh"], opt="sgd", lr=0.03,
                 batch=10),
        b=dict(lr=3.0)),
}


def preset_settings(name):
    """(shared, nets) of a preset: every setting it does not name at its default."""
    preset = PRESETS[name]
    shared, nets = defaults()
    shared.update({k: v for k, v in preset.items() if k in shared})
    nets["a"].update(copy_net(preset.get("net", {})))
    nets["b"] = {**copy_net(nets["a"]), **copy_net(preset.get("b", {}))}
    return shared, nets


# -------------------------------------------- settings <-> the widgets' session keys

KEY = "playground_"
NET_WIDGETS = ("inputs", "loss", "opt", "lr", "batch", "reg", "rate")  # one widget each


def shared_key(name):
    return f"{KEY}{name}"


def net_key(c, name):
    return f"{KEY}{c}_{name}"


def store_shared(store, shared):
    """Put the shared settings into their widgets' keys in `store` (st.session_state)."""
    for name, value in shared.items():
        store[shared_key(name)] = value


def store_net(store, c, net):
    """Put network c's settings into its widgets' keys (layers, units<i>, act<i> ...)."""
    for name in NET_WIDGETS:
        value = net[name]
        store[net_key(c, name)] = list(value) if isinstance(value, list) else value
    store[net_key(c, "layers")] = len(net["hidden"])
    for i, (units, act) in enumerate(zip(net["hidden"], layer_activations(net))):
        store[net_key(c, f"units{i}")] = units
        store[net_key(c, f"act{i}")] = act


def read_shared(store):
    return {s.name: store.get(shared_key(s.name), s.fresh_default()) for s in DATA_SETTINGS}


def read_net(store, c):
    """Network c's settings from its widgets' keys (after they are drawn)."""
    get = store.get
    layers = get(net_key(c, "layers"), 0)
    return {
        "inputs": [f for f in catalog.feature_names() if f in (get(net_key(c, "inputs")) or [])],
        "hidden": [get(net_key(c, f"units{i}"), 4) for i in range(layers)],
        "act": [get(net_key(c, f"act{i}"), "tanh") for i in range(layers)] or ["tanh"],
        **{name: get(net_key(c, name)) for name in NET_WIDGETS if name != "inputs"},
    }


def fill_missing(store):
    """Fill in any widget key Streamlit dropped (widgets not drawn last run are forgotten)."""
    shared, nets = defaults()
    for name, value in shared.items():
        store.setdefault(shared_key(name), value)
    for c in NETS:
        net = nets[c]
        for name in NET_WIDGETS:
            store.setdefault(net_key(c, name), net[name])
        if net_key(c, "layers") not in store:
            store_net(store, c, net)
