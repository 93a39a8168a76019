"""Framework overhead: train / evaluate / predict per step, single-sample latency, Python
calls per step, import time, and the `jit_compile=True` path.

Times are *process CPU time* (`time.process_time`, with one intra-op thread), which a busy
machine disturbs far less than wall time. The steady-state figures come from one process
that holds both implementations and alternates their rounds (torch, kerastorch, torch, ...),
so that both see the same machine, each the least of several rounds (9 for tiny and mlp, 3
for the others); the first epoch and the call counts come from fresh processes, one per
implementation. Everything is repeated `--repeats` times and the medians are compared.

    python -m benchmarks.overhead --workloads tiny mlp --repeats 3
    python -m benchmarks.overhead --imports --jit

Per step: `train` is one `fit` epoch without validation / the torch loop of
`benchmarks.workloads`; `evaluate` is `model.evaluate` / a `no_grad` loop summing the loss
(and counting correct predictions where the model has an accuracy metric) with one
synchronisation; `predict` is `model.predict` / a `no_grad` loop whose outputs are
concatenated and copied to NumPy once. `latency` is one sample through `predict_on_batch`
(kerastorch) or `module(x)` + `.numpy()` (torch), and `model(x)` (kerastorch), in µs.
`first epoch` is the first `train` call of the process, in ms: the model's build, the
optimizer's, the data's move to the device and every first-call cost included (the models
are made and compiled before it).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

WORKLOADS = ("tiny", "mlp", "cnn", "lstm", "transformer", "resnet")
PHASES = ("train", "evaluate", "predict")
ROUNDS = 3


def _cpu_seconds(fn: Callable[[], Any]) -> float:
    """Process CPU seconds of one `fn()`."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def count_calls(fn: Callable[[], Any]) -> int:
    """The Python and C function calls that `fn()` makes (`sys.setprofile`)."""
    calls = [0]

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event in ("call", "c_call"):
            calls[0] += 1

    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return calls[0]


def _torch_phases(workload: str) -> dict[str, Callable[[], Any]]:
    import torch

    from benchmarks.workloads import SIZES, torch_setup

    batch = SIZES[workload][1]
    model, optimizer, loss_fn, x, y = torch_setup(workload, torch.device("cpu"))
    n = len(x)
    accuracy = workload in ("mlp", "cnn", "lstm", "transformer", "resnet")

    def train() -> None:
        model.train()
        total = torch.zeros(())
        perm = torch.randperm(n)
        for start in range(0, n, batch):
            index = perm[start : start + batch]
            loss = loss_fn(model(x[index]), y[index])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.detach()
        float(total)

    def evaluate() -> None:
        model.eval()
        total, correct = torch.zeros(()), torch.zeros(())
        with torch.no_grad():
            for start in range(0, n, batch):
                out, target = model(x[start : start + batch]), y[start : start + batch]
                total += loss_fn(out, target)
                if accuracy:
                    predicted = out.argmax(-1) if out.shape[-1] > 1 else (out[:, 0] > 0).float()
                    correct += (predicted == target.reshape(predicted.shape)).sum()
        float(total), float(correct)

    def predict() -> np.ndarray:
        model.eval()
        with torch.no_grad():
            outputs = [model(x[start : start + batch]) for start in range(0, n, batch)]
        return torch.cat(outputs).numpy()

    sample = x[:1]

    def latency() -> np.ndarray:
        with torch.no_grad():
            return model(sample).numpy()

    return {"train": train, "evaluate": evaluate, "predict": predict, "latency": latency}


def _kerastorch_phases(workload: str) -> tuple[dict[str, Callable[[], Any]], Any]:
    import kerastorch
    from benchmarks.workloads import SIZES, data, keras_model

    batch = SIZES[workload][1]
    x, y = data(workload)
    model = keras_model(kerastorch, workload)
    sample = x[:1]
    sample_tensor = kerastorch.ops.convert_to_tensor(sample)
    phases = {
        "train": lambda: model.fit(x, y, batch_size=batch, epochs=1, verbose=0),
        "evaluate": lambda: model.evaluate(x, y, batch_size=batch, verbose=0),
        "predict": lambda: model.predict(x, batch_size=batch, verbose=0),
        "latency": lambda: model.predict_on_batch(sample),
        "call": lambda: model(sample_tensor),
    }
    return phases, model


def child(impl: str, workload: str) -> dict[str, float]:
    """A fresh process's first epoch (ms) and, for kerastorch, the calls per step."""
    import torch

    from benchmarks.workloads import SIZES

    torch.set_num_threads(1)
    steps = -(-SIZES[workload][0] // SIZES[workload][1])
    phases = _torch_phases(workload) if impl == "torch" else _kerastorch_phases(workload)[0]
    start = time.process_time()
    phases["train"]()  # the first epoch: build and warm-up included
    result = {"first": 1000 * (time.process_time() - start)}
    if impl == "kerastorch":
        for phase in phases.values():  # (first calls are not counted)
            phase()
        for p in PHASES:
            result[f"{p}_calls"] = count_calls(phases[p]) / steps
        result["latency_calls"] = count_calls(phases["latency"])
        result["call_calls"] = count_calls(phases["call"])
    return result


def pair(workload: str) -> dict[str, dict[str, float]]:
    """Steady-state times of both implementations in one process, their rounds alternated
    (torch, kerastorch, torch, ...) so that both see the same machine: per step (ms) for the
    phases, per call (µs) for the latencies; each the least over the rounds."""
    import torch

    from benchmarks.workloads import SIZES

    torch.set_num_threads(1)
    steps = -(-SIZES[workload][0] // SIZES[workload][1])
    both = {"torch": _torch_phases(workload), "kerastorch": _kerastorch_phases(workload)[0]}
    for phases in both.values():
        for phase in phases.values():  # build and warm up
            phase()
    reps = 50 if workload in ("tiny", "mlp") else 5
    rounds = 3 * ROUNDS if workload in ("tiny", "mlp") else ROUNDS  # (cheap epochs: more)
    timed = {p: (1000 / steps, lambda f: f) for p in PHASES}
    for name in ("latency", "call"):
        timed[name] = (1e6 / reps, lambda f: lambda: [f() for _ in range(reps)])
    result: dict[str, dict[str, float]] = {"torch": {}, "kerastorch": {}}
    for name, (scale, repeated) in timed.items():
        best = {impl: float("inf") for impl in both if name in both[impl]}
        for _ in range(rounds):
            for impl in best:
                best[impl] = min(best[impl], _cpu_seconds(repeated(both[impl][name])))
        for impl, seconds in best.items():
            result[impl][name] = scale * seconds
    return result


def _run_child(*args: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.overhead", "--child", *args]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{args} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def import_times(repeats: int) -> tuple[float, float]:
    """Median wall seconds of `import torch` and of `import kerastorch`, fresh processes."""
    code = "import time; t = time.perf_counter(); import {}; print(time.perf_counter() - t)"
    # With bytecode caches, as a user's imports run (an untimed first import writes them):
    # without them (`PYTHONDONTWRITEBYTECODE`) every import compiles the sources again.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    found: dict[str, list[float]] = {"torch": [], "kerastorch": []}
    for warm_up in [True] + [False] * repeats:
        for name in found:
            command = [sys.executable, "-c", code.format(name)]
            out = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
            if not warm_up:
                found[name].append(float(out.stdout))
    return statistics.median(found["torch"]), statistics.median(found["kerastorch"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", nargs="+", default=["tiny", "mlp"], choices=WORKLOADS)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--imports", action="store_true", help="time the imports")
    parser.add_argument("--jit", action="store_true", help="check jit_compile=True")
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        if args.child[0] == "pair":
            print(json.dumps(pair(args.child[1])))
        elif args.child[0] == "jit":
            from benchmarks.jit_check import jit_check

            print(json.dumps(jit_check(args.child[1])))
        else:
            print(json.dumps(child(*args.child)))
        return
    timed = args.workloads if args.repeats > 0 else []
    if timed:
        print("| workload | phase | torch | kerastorch | kerastorch / torch | calls per step |")
        print("|---|---|---|---|---|---|")
    for workload in timed:
        runs: dict[str, list[dict[str, float]]] = {"torch": [], "kerastorch": []}
        for _ in range(args.repeats):
            times = _run_child("pair", workload)
            for impl in runs:
                runs[impl].append({**times[impl], **_run_child(impl, workload)})
        med = {
            impl: {k: statistics.median(r[k] for r in rs) for k in rs[0]}
            for impl, rs in runs.items()
        }
        t, k = med["torch"], med["kerastorch"]
        for phase in (*PHASES, "latency"):
            unit = "µs" if phase == "latency" else "ms/step"
            print(
                f"| {workload} | {phase} ({unit}) | {t[phase]:.3f} | {k[phase]:.3f} | "
                f"{k[phase] / t[phase]:.2f} | {k[f'{phase}_calls']:.0f} |"
            )
        print(
            f"| {workload} | model(x) (µs) | {t['latency']:.3f} | {k['call']:.3f} | "
            f"{k['call'] / t['latency']:.2f} | {k['call_calls']:.0f} |"
        )
        print(
            f"| {workload} | first epoch (ms) | {t['first']:.1f} | {k['first']:.1f} | "
            f"{k['first'] / t['first']:.2f} | |",
            flush=True,
        )
    if args.imports:
        torch_s, kt_s = import_times(max(args.repeats, 3))
        ratio = kt_s / torch_s
        print(f"\nimport torch {torch_s:.3f} s, import kerastorch {kt_s:.3f} s: {ratio:.2f}x")
    if args.jit:
        for workload in args.workloads:
            print(f"jit {workload}: {_run_child('jit', workload)}", flush=True)


if __name__ == "__main__":
    main()
