"""Installing quizapp as a command: the wheel carries the package, the ``quizapp`` script
and the bundled deck, so ``quizapp --help`` works outside the checkout (README "Install").

``uv tool install .`` needs every dependency from a package index, which a test cannot
count on (offline, uv resolves only from its cache). So this builds the wheel offline, as
``uv tool install`` and ``pipx install`` do, installs it without dependencies into a
fresh virtual environment in a temporary folder, and borrows the dependencies already
installed for the test run through a ``.pth`` file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UV = shutil.which("uv")


def _uv(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    assert UV is not None
    env = {**os.environ, "UV_OFFLINE": "1", "UV_NO_PROGRESS": "1"}
    env.pop("VIRTUAL_ENV", None)
    result = subprocess.run(
        [UV, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.skipif(UV is None, reason="uv is not installed")
def test_the_built_wheel_installs_a_working_quizapp_command(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _uv("build", "--wheel", "--offline", "--out-dir", str(dist), str(ROOT))
    (wheel,) = dist.glob("quizapp-*.whl")
    venv = tmp_path / "venv"
    _uv("venv", "--offline", "--python", sys.executable, str(venv))
    python = venv / "bin" / "python"
    _uv("pip", "install", "--offline", "--no-deps", "--python", str(python), str(wheel))
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # The dependencies of this test run, after the venv's own site-packages (so the
    # installed wheel, not the checkout, is what `import quizapp` finds).
    (Path(site) / "_test_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["QUIZAPP_DB"] = str(tmp_path / "q.db")
    command = venv / "bin" / "quizapp"
    helped = subprocess.run(
        [str(command), "--help"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert helped.returncode == 0, helped.stderr
    assert helped.stdout.startswith("Usage: quizapp [OPTIONS] [COMMAND]")
    for name in ("import", "list", "review", "restore", "--no-bundled"):
        assert name in helped.stdout
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import quizapp.content as c; print(c.__file__); print(c.bundled_deck_dir())",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert Path(where[0]).is_relative_to(venv)  # the installed copy, not the checkout
    deck = Path(where[1])
    assert deck.name == "_content" and deck.is_relative_to(venv)
    assert any(deck.rglob("*.md"))  # the bundled deck ships in the wheel
