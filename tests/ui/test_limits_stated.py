"""The caps README's "Limits on a shared server" states are the ones in the code and config."""

import tomllib
from pathlib import Path

from engine import datasets, saving
from ui import mnist_setup as setup

ROOT = Path(__file__).resolve().parents[2]


def limits_section():
    text = (ROOT / "README.md").read_text()
    return text.split("## Limits on a shared server")[1].split("\n## ")[0]


def test_readme_states_the_codes_limits():
    section = " ".join(limits_section().split())
    stated = [
        f"**{setup.RUNS_AT_ONCE} on the whole server**",
        f"**{setup.CPU_SECONDS_PER_RUN // 60} minutes** of one core",
        f"{setup.MAX_HIDDEN_LAYERS} hidden layers of {setup.MAX_UNITS} units, "
        f"{setup.MAX_EPOCHS} epochs, batches up to {setup.MAX_BATCH_SIZE:,}, "
        f"the {setup.MAX_RUNS} last runs kept",
        f"{setup.MAX_UPLOAD_MB} MB upload",
        f"{saving.MAX_FILE_BYTES // 2**20} MB read from a path",
        f"{saving.MAX_PARAMETERS:,} parameters",
        f"{saving.MAX_UNPACKED_BYTES // 2**20} MB unpacked",
        f"metadata {saving.MAX_METADATA_CHARS:,} characters",
        f"JSON {saving.MAX_JSON_DEPTH} deep",
        f"strings {saving.MAX_TEXT} characters",
        f"(and {saving.MAX_HISTORY:,})",
        f"{datasets.MAX_CSV_BYTES // 10**6} MB (the uploader's `max_upload_size`), "
        f"{datasets.MAX_CSV_ROWS:,} rows, lines of {datasets.MAX_CSV_LINE:,} characters",
    ]
    for text in stated:
        assert text in section, text


def test_the_config_a_hosted_copy_uses():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "type"
    assert config["server"]["maxUploadSize"] == setup.MAX_UPLOAD_MB
    assert "showErrorDetails = \"type\"" in limits_section()
    # README's "Deploy": no browser opened, no e-mail asked on a server; and no usage
    # statistics, which would make every browser contact Streamlit's servers (offline
    # classrooms; tests/browser/test_offline.py's server is started with the same flag).
    assert config["server"]["headless"] is True
    assert config["browser"]["gatherUsageStats"] is False
