"""Run the benchmarks: hand-written torch vs kerastorch vs Keras 3, as ratios.

Each (implementation, workload) runs in its own process; the processes are interleaved
(torch, kerastorch, keras, torch, ...) `--repeats` times so that machine noise hits all three
alike, and the median steady-state ms/step is reported (the first epoch, which builds the
model and warms the kernels, is not timed).

    python benchmarks/run.py                       # all workloads on CPU
    python benchmarks/run.py --device cuda --workloads lstm cnn
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

IMPLEMENTATIONS = ("torch", "kerastorch", "keras")
WORKLOADS = ("mlp", "cnn", "lstm", "tiny", "transformer", "resnet")


def child(impl: str, workload: str, device: str, epochs: int) -> None:
    import torch

    from benchmarks.workloads import runner

    run_epoch, steps = runner(impl, workload, torch.device(device))
    run_epoch()  # build, warm up
    start = time.perf_counter()
    for _ in range(epochs):
        run_epoch()
    elapsed = time.perf_counter() - start
    print(json.dumps({"ms_per_step": 1000 * elapsed / (epochs * steps)}))


def measure(impl: str, workload: str, device: str, epochs: int) -> float:
    command = [sys.executable, "-m", "benchmarks.run", "--child", impl, workload,
               "--device", device, "--epochs", str(epochs)]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{impl}/{workload} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])["ms_per_step"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", nargs="+", default=list(WORKLOADS), choices=WORKLOADS)
    parser.add_argument("--implementations", nargs="+", default=list(IMPLEMENTATIONS))
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("IMPL", "WORKLOAD"))
    args = parser.parse_args()
    if args.child:
        child(*args.child, args.device, args.epochs)
        return
    print(
        f"| workload | {' | '.join(f'{i} ms/step' for i in args.implementations)} "
        "| kerastorch / torch | keras / kerastorch |"
    )
    print("|---" * (len(args.implementations) + 3) + "|")
    for workload in args.workloads:
        times: dict[str, list[float]] = {impl: [] for impl in args.implementations}
        for _ in range(args.repeats):
            for impl in args.implementations:
                times[impl].append(measure(impl, workload, args.device, args.epochs))
        median = {impl: statistics.median(values) for impl, values in times.items()}
        cells = " | ".join(f"{median[i]:.3f}" for i in args.implementations)
        ratio_torch = median.get("kerastorch", float("nan")) / median.get("torch", float("nan"))
        ratio_keras = median.get("keras", float("nan")) / median.get("kerastorch", float("nan"))
        print(f"| {workload} | {cells} | {ratio_torch:.2f} | {ratio_keras:.2f} |", flush=True)


if __name__ == "__main__":
    main()
