"""`jit_compile=True` against eager on one workload: graph breaks and CPU time per step.

The model is compiled with `jit_compile=True` (the whole training step, forward pass, loss,
gradients and optimizer update, is one `torch.compile`d graph); the first epoch compiles and
is not timed. Graph breaks and graphs are torch dynamo's own counts
(`torch._dynamo.utils.counters`) from the first compiling epoch on: `unique_graphs` is one
graph per batch shape (a last, smaller batch has its own), and does not grow with recompiles.

    python -m benchmarks.overhead --workloads tiny --jit
"""

from __future__ import annotations

import time
from typing import Any

EPOCHS = 3


def _per_step(model: Any, x: Any, y: Any, batch: int) -> float:
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)  # build / compile, warm up
    start = time.process_time()
    model.fit(x, y, batch_size=batch, epochs=EPOCHS, verbose=0)
    return 1000 * (time.process_time() - start) / (EPOCHS * -(-len(x) // batch))


def jit_check(workload: str) -> dict[str, Any]:
    """`{"eager_ms", "jit_ms", "graph_breaks", "unique_graphs"}` for `workload`."""
    import torch
    import torch._dynamo.utils

    import kerastorch
    from benchmarks.workloads import SIZES, data, keras_model

    torch.set_num_threads(1)
    batch = SIZES[workload][1]
    x, y = data(workload)
    eager = keras_model(kerastorch, workload)
    eager_ms = _per_step(eager, x, y, batch)
    compiled = keras_model(kerastorch, workload)
    compiled.compile(
        optimizer=type(compiled.optimizer)(), loss=compiled.loss, jit_compile=True,
        metrics=compiled._compile_config["metrics"],
    )  # fmt: skip
    counters = torch._dynamo.utils.counters
    counters.clear()
    jit_ms = _per_step(compiled, x, y, batch)
    return {
        "eager_ms": round(eager_ms, 3),
        "jit_ms": round(jit_ms, 3),
        "graph_breaks": sum(counters["graph_break"].values()),
        "unique_graphs": counters["stats"]["unique_graphs"],
    }
