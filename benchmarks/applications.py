"""Pretrained-model inference: `keras.applications.ResNet50` in kerastorch vs Keras 3.

The same architecture (`weights=None`, so no download) predicts batches of 32 images of
224x224x3 with `model.predict_on_batch`; each implementation runs in its own process, the
processes are interleaved `--repeats` times, and the median process CPU time and wall time
per batch are reported (the first batch, which builds and warms up, is not timed).

    python -m benchmarks.applications --repeats 2 --batches 3
    python -m benchmarks.applications --device cuda
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

IMPLEMENTATIONS = ("kerastorch", "keras")


def child(impl: str, batches: int, batch_size: int, device: str) -> None:
    import numpy as np
    import torch

    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    if impl == "keras":
        os.environ["KERAS_BACKEND"] = "torch"
        import keras as lib
    else:
        import kerastorch as lib

        lib.backend.set_device(device)
    model = lib.applications.ResNet50(weights=None)
    x = np.random.default_rng(0).uniform(0, 255, (batch_size, 224, 224, 3)).astype("float32")
    model.predict_on_batch(x)  # build, warm up
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(batches):
        model.predict_on_batch(x)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(json.dumps({"cpu_ms": 1000 * cpu / batches, "wall_ms": 1000 * wall / batches}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--child", metavar="IMPL")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.batches, args.batch_size, args.device)
        return
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
    results: dict[str, list[dict[str, float]]] = {impl: [] for impl in IMPLEMENTATIONS}
    for _ in range(args.repeats):
        for impl in IMPLEMENTATIONS:
            command = [sys.executable, "-m", "benchmarks.applications", "--child", impl,
                       "--batches", str(args.batches), "--batch-size", str(args.batch_size),
                       "--device", args.device]  # fmt: skip
            done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"{impl} failed:\n{done.stderr[-3000:]}")
            results[impl].append(json.loads(done.stdout.strip().splitlines()[-1]))
    print("| implementation | CPU ms / batch | wall ms / batch |")
    print("|---|---|---|")
    for impl, runs in results.items():
        cpu = statistics.median(r["cpu_ms"] for r in runs)
        wall = statistics.median(r["wall_ms"] for r in runs)
        print(f"| {impl} | {cpu:.0f} | {wall:.0f} |")
    ratio = statistics.median(r["cpu_ms"] for r in results["keras"]) / statistics.median(
        r["cpu_ms"] for r in results["kerastorch"]
    )
    print(f"\nkeras / kerastorch (CPU time): {ratio:.2f}")


if __name__ == "__main__":
    main()
