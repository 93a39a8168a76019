import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "quickstart.py"


@pytest.mark.slow
def test_quickstart_trains_the_tutorial_mlp_to_95_percent():
    result = subprocess.run(
        [sys.executable, str(EXAMPLE)], capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert 'Model: "sequential"' in result.stdout
    assert "Total params: 50,826 (198.54 KB)" in result.stdout
    assert "Epoch 60/60" in result.stdout
    accuracy = float(re.search(r"Test accuracy: ([0-9.]+)", result.stdout).group(1))
    assert accuracy >= 0.95
