import numpy as np
import pytest
import torch

import kerastorch.optimizers as kto
from kerastorch.variables import Variable
from tests.optimizers.keras_files import check_keras_file_round_trip
from tests.optimizers.parity import apply_both, build_pair, check_parity, linear_variables
from tests.oracle import assert_close, keras_or_skip, to_numpy


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"learning_rate": 0.01, "nesterov": False, "ns_steps": 3, "rms_rate": None},
        {"learning_rate": 0.01, "weight_decay": None, "adam_weight_decay": 0.1, "momentum": 0.8},
        {"learning_rate": 0.01, "adam_lr_ratio": 0.1, "exclude_layers": ["variable"]},
        {"learning_rate": 0.01, "clipnorm": 1.0, "use_ema": True},
    ],
)
def test_muon_matches_keras(kwargs):
    check_parity("Muon", kwargs)


@pytest.mark.parity
def test_muon_uses_keras_layout_and_paths_of_variables():
    keras = keras_or_skip()
    rng = np.random.default_rng(4)
    shapes = [(5, 3), (3,), (4, 6)]
    init = [rng.normal(size=s).astype("float32") for s in shapes]
    paths = ["dense/kernel", "dense/bias", "embedding/embeddings"]
    keras_vars = [keras.Variable(x, name=p.split("/")[1]) for x, p in zip(init, paths, strict=True)]
    reference, ours = build_pair("Muon", {"learning_rate": 0.05, "name": "opt"})
    for variable, path in zip(keras_vars, paths, strict=True):
        variable._path = path
    linear = torch.nn.Linear(5, 3)
    embedding = torch.nn.Embedding(4, 6)
    ours_vars = linear_variables(linear)
    ours_vars.append(Variable(embedding, "weight", "embeddings", path="embedding/embeddings"))
    for variable, x in zip(ours_vars, init, strict=True):
        variable.assign(x)
    for _ in range(3):
        grads = [rng.normal(size=s).astype("float32") for s in shapes]
        apply_both(reference, ours, keras_vars, ours_vars, grads)
    expected = [to_numpy(v.value) for v in keras_vars]
    assert_close([v.numpy() for v in ours_vars], expected, atol=1e-5, rtol=1e-5)
    assert [v.path for v in ours.variables] == [v.path for v in reference.variables]
    assert_close([v.numpy() for v in ours.variables], [to_numpy(v) for v in reference.variables])


@pytest.mark.parity
def test_muon_config_round_trips_like_keras():
    kwargs = {"name": "opt", "exclude_layers": ["head"], "rms_rate": None, "ns_steps": 4}
    reference, ours = build_pair("Muon", kwargs)
    assert ours.get_config() == reference.get_config()
    clone = kto.get({"class_name": "Muon", "config": ours.get_config()})
    assert clone.get_config() == ours.get_config()


def test_muon_newton_schulz_needs_a_matrix():
    with pytest.raises(ValueError, match=r"at least 2 dimensions. Received: shape=\(3,\)"):
        kto.Muon().zeropower_via_newtonschulz5(torch.ones(3), 5)


@pytest.mark.parity
def test_muon_state_moves_both_ways_in_keras_files(tmp_path):
    check_keras_file_round_trip(lambda lib: lib.optimizers.Muon(learning_rate=0.01), str(tmp_path))
