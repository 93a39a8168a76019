"""`atomic_write`: recognisable temporaries, removed by the next save once their process died."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from kerastorch.common.atomic import atomic_write, remove_stale_temporaries, temporary_path

pytestmark = pytest.mark.skipif(os.name != "posix", reason="process liveness is probed on POSIX")

_WRITER = textwrap.dedent(
    """
    import sys, time
    from kerastorch.common.atomic import atomic_write

    with atomic_write(sys.argv[1]) as tmp:
        with open(tmp, "wb") as f:
            f.write(b"x" * 1024)
        print(tmp, flush=True)
        time.sleep(60)
    """
)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_atomic_write_temporary_name_is_recognisable(tmp_path):
    path = temporary_path(str(tmp_path / "model.keras"))
    name = os.path.basename(path)
    assert name.startswith(f".model.keras.{os.getpid()}.")
    assert name.endswith(".tmp")
    assert os.path.dirname(path) == str(tmp_path)


def test_atomic_write_killed_save_leaves_temporary_the_next_save_removes(tmp_path):
    target = tmp_path / "model.keras"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    child = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(target)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        tmp = child.stdout.readline().strip()
        assert tmp, "the writer did not start its save"
        assert os.path.exists(tmp)  # a live save's temporary is never touched
        assert remove_stale_temporaries(str(tmp_path)) == []
        assert os.path.exists(tmp)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
    assert os.path.exists(tmp)
    assert not target.exists()
    with atomic_write(target) as ours, open(ours, "w") as f:
        f.write("done")
    assert target.read_text() == "done"
    assert sorted(os.listdir(tmp_path)) == ["model.keras"]


def test_atomic_write_removes_stale_temporaries_only(tmp_path):
    stale = tmp_path / f".a.keras.{_dead_pid()}.0123abcd.tmp"
    live = tmp_path / f".b.keras.{os.getppid()}.0123abcd.tmp"  # the parent process is alive
    unrelated = tmp_path / ".notes.tmp"
    for path in (stale, live, unrelated):
        path.write_bytes(b"partial")
    with atomic_write(tmp_path / "c.weights.h5") as tmp:
        assert os.path.exists(tmp)
        # A save running in this process right now is not stale either.
        assert remove_stale_temporaries(str(tmp_path)) == []
        with open(tmp, "w") as f:
            f.write("w")
    assert not stale.exists()
    assert live.exists()
    assert unrelated.exists()
    assert (tmp_path / "c.weights.h5").read_text() == "w"


def test_atomic_write_failure_keeps_old_file_and_removes_temporary(tmp_path):
    target = tmp_path / "w.weights.h5"
    target.write_text("old")

    def failing_save() -> None:
        with atomic_write(target) as tmp:
            with open(tmp, "w") as f:
                f.write("new")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        failing_save()
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["w.weights.h5"]


def test_atomic_write_model_save_through_public_api(tmp_path):
    keras = pytest.importorskip("kerastorch")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    stale = tmp_path / f".m.keras.{_dead_pid()}.0123abcd.tmp"
    stale.write_bytes(b"partial")
    model.save(tmp_path / "m.keras")
    assert sorted(os.listdir(tmp_path)) == ["m.keras"]
