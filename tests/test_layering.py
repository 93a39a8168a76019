"""The package's floors (DESIGN §10): every import runs down, none runs in a function, no cycle.

Imports are read from the source (function-level ones included). Importing `kerastorch.a.b.c`
also runs the `__init__.py` of `kerastorch.a` and `kerastorch.a.b`, so those count as
imported too (except a module's own ancestors, which are already running).
"""

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "kerastorch"

# Module prefix -> floor; the longest matching prefix wins.
FLOORS = {
    "kerastorch.config": 0,
    "kerastorch.common": 0,
    "kerastorch.graph": 1,
    "kerastorch.ops": 2,
    "kerastorch.variables": 2,
    "kerastorch.activations": 2,
    "kerastorch.initializers": 2,
    "kerastorch.regularizers": 2,
    "kerastorch.constraints": 2,
    "kerastorch.mixed_precision": 2,
    "kerastorch.backend": 2,
    "kerastorch.random": 2,
    "kerastorch.tree": 2,
    "kerastorch.quantizers": 2,
    "kerastorch.dtype_policies": 2,
    "kerastorch.layers": 3,
    "kerastorch.visualization": 3,  # bounding box converters and value ranges (layers/)
    "kerastorch.losses": 4,
    "kerastorch.metrics": 4,
    "kerastorch.optimizers": 4,
    "kerastorch.callbacks": 4,
    "kerastorch.trainers": 5,
    "kerastorch.saving": 5,
    "kerastorch.export": 5,
    "kerastorch.utils": 5,
    "kerastorch.preprocessing": 5,
    "kerastorch.distribution": 5,
    "kerastorch.models": 6,
    "kerastorch.datasets": 7,
    "kerastorch.distillation": 7,
    "kerastorch.wrappers": 7,
    "kerastorch.legacy": 7,
    "kerastorch": 8,
}

# Optional third-party packages may be imported where they are used.
OPTIONAL = ("tensorboard", "torch.utils.tensorboard", "requests", "onnx", "onnxscript",
            "onnxruntime", "pydot", "PIL", "torchvision", "rich", "google.protobuf",
            "IPython", "torch.distributed.tensor", "torch.distributed.fsdp", "h5py",
            "torch.distributed.checkpoint",
            "sklearn", "cv2", "matplotlib")  # fmt: skip


def _module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def floor(module: str) -> int:
    prefix = max((p for p in FLOORS if module == p or module.startswith(p + ".")), key=len)
    return FLOORS[prefix]


def _targets(module: str, node: ast.AST) -> list[str]:
    """The kerastorch modules an import statement names."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == "kerastorch"]
    if node.level:  # relative: resolve against the importing package
        is_package = MODULES[module].name == "__init__.py"
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    if source.split(".")[0] != "kerastorch":
        return []
    return [f"{source}.{a.name}" if f"{source}.{a.name}" in MODULES else source for a in node.names]


def _imports(module: str) -> tuple[set[str], list[tuple[int, str]]]:
    """(modules imported, with the packages they run), and the function-level imports."""
    tree = ast.parse(MODULES[module].read_text())
    in_functions = {
        id(inner)
        for fn in ast.walk(tree)
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
        for inner in ast.walk(fn)
        if isinstance(inner, (ast.Import, ast.ImportFrom))
    }
    imported: set[str] = set()
    local: list[tuple[int, str]] = []
    ancestors = {".".join(module.split(".")[:i]) for i in range(1, module.count(".") + 1)}
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if id(node) in in_functions:
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            if not any(n == o or n.startswith(o + ".") for n in names for o in OPTIONAL):
                local.append((node.lineno, ", ".join(names)))
        for target in _targets(module, node):
            parts = target.split(".")
            packages = {".".join(parts[:i]) for i in range(2, len(parts))} - ancestors - {module}
            imported |= {target, *(p for p in packages if p in MODULES)}
    imported.discard(module)
    return imported, local


GRAPH = {module: _imports(module) for module in MODULES}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_imports_only_its_floor_or_below(module):
    upward = sorted(t for t in GRAPH[module][0] if t in MODULES and floor(t) > floor(module))
    assert not upward, f"{module} (floor {floor(module)}) imports up the floors: " + ", ".join(
        f"{t} (floor {floor(t)})" for t in upward
    )


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_has_no_function_level_imports(module):
    assert not GRAPH[module][1], f"{module} imports inside functions at lines {GRAPH[module][1]}"


def test_package_has_no_import_cycle():
    # Tarjan's strongly connected components over the module import graph.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in GRAPH[v][0]:
            if w not in MODULES:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in MODULES:
        if module not in index:
            visit(module)
    assert not cycles, f"import cycles: {cycles}"


def test_floor_table_names_only_existing_modules():
    assert all(any(m == p or m.startswith(p + ".") for m in MODULES) for p in FLOORS)
