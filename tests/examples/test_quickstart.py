import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "quickstart.py"
THREADS = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
# Runs the example as `python quickstart.py` would (its folder first on sys.path), with torch on
# one thread.
_RUN_WITH_ONE_THREAD = (
    "import os, runpy, sys, torch\n"
    "torch.set_num_threads(1)\n"
    "sys.argv = sys.argv[1:]\n"
    "sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[0])))\n"
    "runpy.run_path(sys.argv[0], run_name='__main__')\n"
)


def run_example(path, env=None):
    """Run an example script in a subprocess, torch on one thread (its default, one per core,
    is many times slower on a busy small machine), with `env` added to the environment."""
    return subprocess.run(
        [sys.executable, "-c", _RUN_WITH_ONE_THREAD, str(path)],
        capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, **THREADS, **(env or {})},
    )  # fmt: skip


def test_run_example_runs_torch_on_one_thread_as_main(tmp_path):
    script = tmp_path / "threads.py"
    script.write_text(
        "import os, sys, torch\n"
        "print(torch.get_num_threads(), os.environ['OMP_NUM_THREADS'], __name__, sys.argv)\n"
    )
    result = run_example(script)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split(maxsplit=3) == ["1", "1", "__main__", f"['{script}']\n"]


@pytest.mark.slow
def test_quickstart_trains_the_tutorial_mlp_to_95_percent():
    result = run_example(EXAMPLE)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert 'Model: "sequential"' in result.stdout
    assert "Total params: 50,826 (198.54 KB)" in result.stdout
    assert "Epoch 60/60" in result.stdout
    accuracy = float(re.search(r"Test accuracy: ([0-9.]+)", result.stdout).group(1))
    assert accuracy >= 0.95
