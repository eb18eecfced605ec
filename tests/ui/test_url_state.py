"""ui.url_state: the playground's settings <-> its address, read and written from one table.

playground_links.json holds links the page wrote before the settings moved
into ui/url_state.py (the old page, run in AppTest: every preset, and several
settings changed by hand), a few links written by hand, and what the old
reader made of each: the new reader must open the same experiment.
"""

import json
import re
from pathlib import Path

import pytest

from engine import activations, datasets, features, optimizers
from ui import url_state as us
from ui.text import WORD_JOINER

LINKS = json.loads((Path(__file__).parent / "playground_links.json").read_text())

DEFAULT_URL = {
    "data": "circle", "noise": "0", "points": "500", "train": "50", "seed": "0", "wseed": "0",
    "test": "1", "discretize": "0", "speed": "1", "compare": "0",
    "inputs": "x1,x2", "hidden": "4,2", "act": "tanh", "loss": "ce", "opt": "sgd",
    "lr": "0.03", "batch": "10", "reg": "none", "rate": "0",
}


def shown(note):
    """What Markdown shows of a note: its backslash escapes undone, word joiners left out."""
    return re.sub(r"\\(.)", r"\1", note).replace(WORD_JOINER, "")


def per_layer(net):
    """A network's settings with one activation per hidden layer (as the reader gives them)."""
    return {**net, "act": us.layer_activations(net) or net["act"][:1]}


@pytest.mark.parametrize("link", LINKS, ids=[link["case"] for link in LINKS])
def test_links_made_before_open_the_same_experiment(link):
    shared, nets, notes = us.settings_from_url(link["url"])
    assert shared == link["shared"]
    assert nets == link["nets"]
    assert notes == link["notes"]


@pytest.mark.parametrize("link", [link for link in LINKS if link["written_by_page"]],
                         ids=[link["case"] for link in LINKS if link["written_by_page"]])
def test_a_link_the_page_wrote_is_written_back_unchanged(link):
    assert us.settings_to_url(*us.settings_from_url(link["url"])[:2]) == link["url"]


# Presets changed on purpose since the old page wrote its links: name -> the shared
# settings that changed (the old links still open the old experiment, tested above).
CHANGED_PRESETS = {
    # 100 -> 300 points: with 30 training points L2 ended with the worse test accuracy
    # (tests/ui/test_l2_preset.py checks the lesson now).
    "Compare: the same big network without / with L2 regularization": {"points": 300},
}


@pytest.mark.parametrize("name", list(us.PRESETS))
def test_each_preset_gives_the_settings_of_the_link_it_made_before(name):
    (link,) = [link for link in LINKS if link["case"] == f"preset: {name}"]
    changed = CHANGED_PRESETS.get(name, {})
    link = {**link, "shared": {**link["shared"], **changed},
            "url": {**link["url"], **{key: str(value) for key, value in changed.items()}}}
    shared, nets = us.preset_settings(name)
    assert shared == link["shared"]
    assert per_layer(nets["a"]) == link["nets"]["a"]
    if shared["compare"]:
        assert per_layer(nets["b"]) == link["nets"]["b"]
    assert us.settings_to_url(shared, nets) == link["url"]


def test_defaults_are_written_in_full_and_an_empty_link_gives_them():
    shared, nets, notes = us.settings_from_url({})
    default_shared, default_nets = us.defaults()
    assert (shared, notes) == (default_shared, [])
    assert nets == {c: per_layer(net) for c, net in default_nets.items()}
    assert us.settings_to_url(shared, nets) == DEFAULT_URL


def test_every_value_that_cannot_be_used_gets_a_note_saying_what_was_expected():
    shared, nets, notes = us.settings_from_url(
        {"hidden": "99,x", "lr": "banana", "data": "nope", "noise": "300", "act": "swish",
         "test": "maybe", "speed": "7", "colour": "red", "b_batch": "0"})
    notes = [shown(note) for note in notes]
    text = "\n".join(notes)
    assert "`hidden` = “99,x”: expected up to 6 hidden layers of 1 to 16 units each, " \
           "separated by commas, e.g. 4,2 (or none); using the default `4,2`." in notes
    assert "`lr` = “banana”: expected one of 1e-05, 0.0001, 0.001" in text
    assert "`data` = “nope”: expected one of circle, xor" in text and "csv" in text
    assert "`noise` = “300”: expected a whole number from 0 to 50; using the default `0`." \
        in notes
    assert "`act` = “swish”: expected activations from" in text
    assert "`test` = “maybe”: expected 1 or 0" in text
    assert "`speed` = “7”: expected one of 1, 2, 5, 10, 25" in text
    assert "`b_batch` = “0”: expected a whole number from 1 to 100" in text
    assert "Unknown setting “colour” ignored." in notes
    assert (shared, nets) == us.settings_from_url({})[:2]


# ------------------------------------------- a crafted link: its notes are text, few and short

CRAFTED = ["a`b", "`**bold**`", "[x](https://evil.example)", "![i](https://evil.example/i.png)",
           ":red[x] $x^2$ <b>x</b> www.evil.example"]


def markup_left(note):
    """The punctuation of a note outside backslash escapes and the page's own code spans
    (setting names and defaults, such as `b_hidden` or `4,2`)."""
    frame = re.sub(r"`[a-z0-9_,.\-]+`", "", re.sub(r"\\.", "", note, flags=re.S))
    return {char for char in frame if char in "`*_[]()!<>$~:;,.#|"}


def test_unknown_names_with_markdown_are_escaped_and_shown_as_typed():
    _, _, notes = us.settings_from_url({name: "1" for name in CRAFTED})
    (note,) = notes
    assert markup_left(note) <= {",", "."}  # “a”, “b” ... ignored.
    assert shown(note) == "Unknown settings " + ", ".join(f"“{n}”" for n in sorted(CRAFTED)) \
        + " ignored."
    assert "\\`" in note and "\\*\\*bold\\*\\*" in note and "\\!\\[i\\]" in note
    assert "https\\:" + WORD_JOINER + "\\/\\/" in note  # not a bare link either


@pytest.mark.parametrize("value", CRAFTED)
def test_values_with_markdown_are_escaped_and_shown_as_typed(value):
    for name in ("hidden", "lr", "data", "b_act", "test"):
        _, _, notes = us.settings_from_url({name: value, "compare": "1"})
        (note,) = notes
        assert markup_left(note) <= {":", ";", "."}  # “...”: expected ...; using ... .
        assert note.startswith(f"`{name}` = “") and f"“{value}”" in shown(note)


def test_a_long_name_or_value_is_cut_and_notes_stay_short():
    _, _, notes = us.settings_from_url({"k" * 100_000: "1", "hidden": "9" * 100_000,
                                        "lr": "*" * 100_000})
    assert len(notes) == 3
    for note in notes:
        assert len(note) < 500
        assert "k" * (us.QUOTE_CHARS + 1) not in note and "9" * 201 not in note
    assert "“" + "k" * us.QUOTE_CHARS + "…”" in notes[-1]


def test_a_thousand_unknown_names_make_one_short_note():
    _, _, notes = us.settings_from_url({f"key{i:04d}`**": "x" for i in range(1000)})
    (note,) = notes
    assert shown(note) == ("Unknown settings “key0000`**”, “key0001`**”, “key0002`**”, "
                           "“key0003`**”, “key0004`**” and 995 more ignored.")


def test_every_setting_wrong_gives_at_most_max_notes():
    link = {s.name: "`**x**`" for s in us.SETTINGS}
    link.update({us.B_PREFIX + s.name: "`**x**`" for s in us.NET_SETTINGS})
    link.update({f"extra{i}": "1" for i in range(50)})
    _, _, notes = us.settings_from_url(link)
    assert len(notes) == us.MAX_NOTES
    settings = len(us.SETTINGS) + len(us.NET_SETTINGS)
    assert notes[-1] == (f"… and {settings + 1 - us.MAX_NOTES + 1} more settings that could not "
                         f"be used.")  # every bad value, and one note for the unknown names
    assert sum(len(note) for note in notes) < 5000


@pytest.mark.parametrize("text, expected", [
    ("0", []), ("none", []), ("None", []), ("", []), ("16", [16]), (" 4 , 2 ", [4, 2]),
    ("1,2,3,4,5,6", [1, 2, 3, 4, 5, 6]),
])
def test_hidden_layers_read_as_sizes(text, expected):
    assert us.settings_from_url({"hidden": text})[1]["a"]["hidden"] == expected


@pytest.mark.parametrize("text, reason", [
    ("1,2,3,4,5,6,7", "at most 6 hidden layers, got 7"),
    ("17", "each hidden layer needs 1 to 16 units, got '17'"),
    ("4,0", "each hidden layer needs 1 to 16 units, got '4,0'"),
    ("4.5", ""), ("4,,2", ""), ("-3", ""),
])
def test_bad_hidden_layers_say_what_is_expected_and_why(text, reason):
    (note,) = us.settings_from_url({"hidden": text})[2]
    note = shown(note)
    assert "expected up to 6 hidden layers of 1 to 16 units each" in note
    assert reason in note
    assert "e.g. 90" not in note  # the engine's example suits the MNIST page, not this one


def test_no_hidden_layer_is_written_as_none_and_read_back():
    shared, nets = us.defaults()
    nets["a"]["hidden"] = []
    url = us.settings_to_url(shared, nets)
    assert url["hidden"] == "none" and url["act"] == "tanh"
    assert us.settings_from_url(url)[1]["a"]["hidden"] == []


def test_numbers_match_the_allowed_values_however_they_are_spelled():
    _, nets, notes = us.settings_from_url({"lr": "3e-2", "rate": "0.0100000001", "reg": "l2"})
    assert (nets["a"]["lr"], nets["a"]["rate"], notes) == (0.03, 0.01, [])


def test_inputs_keep_the_registry_order_without_repeats():
    assert us.settings_from_url({"inputs": "sinx2,x1,x1"})[1]["a"]["inputs"] == ["x1", "sinx2"]


def test_activations_one_for_all_or_one_per_layer():
    _, nets, notes = us.settings_from_url({"hidden": "3,3", "act": "relu"})
    assert nets["a"]["act"] == ["relu", "relu"] and not notes
    shared, nets, notes = us.settings_from_url({"hidden": "3,3", "act": "relu,elu"})
    assert nets["a"]["act"] == ["relu", "elu"] and not notes
    assert us.settings_to_url(shared, nets)["act"] == "relu,elu"
    _, nets, notes = us.settings_from_url({"hidden": "3,3,3", "act": "relu,elu"})
    assert nets["a"]["act"] == ["relu"] * 3
    assert notes == ["`act` gives 2 activations for 3 hidden layers; using relu for every layer."]


def test_network_b_is_written_only_when_comparing_and_copies_a_when_the_link_has_none():
    shared, nets, _ = us.settings_from_url({"hidden": "5", "b_hidden": "8,8"})
    assert nets["b"]["hidden"] == [8, 8]
    assert not any(name.startswith("b_") for name in us.settings_to_url(shared, nets))
    shared, nets, _ = us.settings_from_url({"compare": "1", "hidden": "5", "lr": "0.1"})
    assert nets["b"] == nets["a"] and nets["b"] is not nets["a"]
    url = us.settings_to_url(shared, nets)
    assert url["b_hidden"] == "5" and url["b_lr"] == "0.1"


# A name added to an engine registry can be named in a link, with no edit here.

def test_a_data_set_added_to_the_engine_works_in_a_link(monkeypatch):
    monkeypatch.setitem(datasets.PLANE_DATASETS, "rings",
                        datasets.PLANE_DATASETS["circle"])
    shared, _, notes = us.settings_from_url({"data": "rings"})
    assert shared["data"] == "rings" and not notes
    assert "rings" in us.dataset_names() and us.dataset_names()[-1] == "csv"


def test_an_activation_an_optimizer_and_a_feature_added_to_the_engine_work_in_a_link(
        monkeypatch):
    monkeypatch.setitem(activations.ACTIVATIONS, "newact", activations.ACTIVATIONS["tanh"])
    monkeypatch.setitem(optimizers.OPTIMIZERS, "newopt", optimizers.OPTIMIZERS["adam"])
    monkeypatch.setitem(features.FEATURES, "cosx1", lambda x1, x2: x1)
    _, nets, notes = us.settings_from_url({"act": "newact", "opt": "newopt",
                                           "inputs": "x1,cosx1"})
    assert not notes
    assert nets["a"]["act"] == ["newact", "newact"] and nets["a"]["opt"] == "newopt"
    assert nets["a"]["inputs"] == ["x1", "cosx1"]


def test_every_setting_has_a_valid_default_that_reads_back():
    for setting in us.SETTINGS:
        assert setting.parse(setting.write(setting.default)) == setting.fresh_default(), \
            setting.name


# The widgets' keys (st.session_state in the page; a dict here).

def test_settings_go_into_the_widgets_keys_and_come_back():
    store = {}
    shared, nets, _ = us.settings_from_url(
        {"compare": "1", "inputs": "x1x2,x1", "hidden": "8,3", "act": "relu,elu",
         "b_opt": "adam", "b_hidden": "none"})
    us.store_shared(store, shared)
    for c in us.NETS:
        us.store_net(store, c, nets[c])
    assert store["playground_compare"] is True
    assert store["playground_a_layers"] == 2
    assert (store["playground_a_units1"], store["playground_a_act1"]) == (3, "elu")
    assert store["playground_b_opt"] == "adam" and store["playground_b_layers"] == 0
    assert us.read_shared(store) == shared
    assert us.read_net(store, "a") == nets["a"]
    assert us.read_net(store, "b") == {**nets["b"], "act": ["tanh"]}


def test_missing_widget_keys_are_filled_with_defaults_and_present_ones_kept():
    store = {"playground_noise": 20}
    us.fill_missing(store)
    assert store["playground_noise"] == 20 and store["playground_data"] == "circle"
    assert us.read_net(store, "a") == per_layer(us.defaults()[1]["a"])
    assert us.read_net(store, "b")["hidden"] == [4, 2]
