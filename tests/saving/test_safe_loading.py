"""Safe loading: nothing in a `.keras` / `.h5` file runs code unless `safe_mode=False`."""

import io
import json
import pickle
import zipfile

import h5py
import numpy as np
import pytest
import torch

import kerastorch as kt
from kerastorch.layers.core.lambda_layer import Lambda
from kerastorch.layers.core.torch_module_wrapper import TorchModuleWrapper

LAMBDA_MESSAGE = "Requested the deserialization of a `Lambda` layer whose `function` is a Python"
EXECUTED = []


class _Payload:
    """Pickled, it would record that it ran when unpickled."""

    def __reduce__(self):
        return (EXECUTED.append, ("pwned",))


def test_lambda_bytecode_is_refused_in_safe_mode(tmp_path):
    x = kt.Input((3,))
    model = kt.Model(x, Lambda(lambda t: t * 2)(x))
    model.save(tmp_path / "m.keras")
    with pytest.raises(ValueError, match=LAMBDA_MESSAGE):
        kt.models.load_model(tmp_path / "m.keras")
    loaded = kt.models.load_model(tmp_path / "m.keras", safe_mode=False)
    assert torch.equal(loaded(torch.ones(1, 3)), torch.full((1, 3), 2.0))


def test_crafted_lambda_config_in_archive_is_refused(tmp_path):
    model = kt.Sequential([kt.Input((3,)), kt.layers.Dense(2)])
    model.save(tmp_path / "good.keras")
    with zipfile.ZipFile(tmp_path / "good.keras") as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    config = json.loads(members["config.json"])
    config["config"]["layers"].append(
        {"module": "keras.layers", "class_name": "Lambda", "registered_name": None,
         "config": {"name": "evil", "function": {"class_name": "__lambda__",
                                                 "config": {"code": "AAAA", "defaults": None,
                                                            "closure": None}}}}
    )  # fmt: skip
    members["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(tmp_path / "evil.keras", "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(ValueError, match=LAMBDA_MESSAGE):
        kt.models.load_model(tmp_path / "evil.keras")


def test_pickle_payload_in_place_of_weights_is_refused(tmp_path):
    model = kt.Sequential([kt.Input((3,)), kt.layers.Dense(2)])
    model.save(tmp_path / "good.keras")
    with zipfile.ZipFile(tmp_path / "good.keras") as archive:
        config = archive.read("config.json")
    with zipfile.ZipFile(tmp_path / "evil.keras", "w") as archive:
        archive.writestr("metadata.json", "{}")
        archive.writestr("config.json", config)
        archive.writestr("model.weights.h5", pickle.dumps(_Payload()))
    with pytest.raises(ValueError, match="is not a valid HDF5 file"):
        kt.models.load_model(tmp_path / "evil.keras")
    with pytest.raises(ValueError, match="is not a valid HDF5 file"):
        model.load_weights(tmp_path / "evil.keras")
    assert EXECUTED == []


def test_h5_links_and_object_datasets_are_refused(tmp_path):
    model = kt.Sequential([kt.Input((3,)), kt.layers.Dense(2)])
    path = tmp_path / "w.weights.h5"
    model.save_weights(path)
    with h5py.File(path, "a") as h5:
        del h5["layers/dense/vars/0"]
        h5["layers/dense/vars/0"] = h5py.ExternalLink("/etc/passwd", "/x")
    with pytest.raises(ValueError, match="Not allowed: H5 file with ExternalLink"):
        model.load_weights(path)
    with h5py.File(path, "a") as h5:
        del h5["layers/dense/vars/0"]
        h5["layers/dense/vars/0"] = np.asarray([b"x" * 4], dtype=object).astype(h5py.string_dtype())
    with pytest.raises(ValueError, match="only numeric data is read"):
        model.load_weights(path)


def test_torch_module_wrapper_config_needs_unsafe_mode():
    layer = TorchModuleWrapper(torch.nn.Linear(3, 2))
    config = layer.get_config()
    with pytest.raises(ValueError, match=r"deserialization of a `torch.nn.Module`"):
        TorchModuleWrapper.from_config(config)
    clone = TorchModuleWrapper.from_config(config, safe_mode=False)
    assert torch.equal(clone.module.weight, layer.module.weight)


def test_torch_checkpoints_load_with_weights_only(tmp_path):
    model = kt.Sequential([kt.Input((3,)), kt.layers.Dense(2, name="out")])
    torch.save(model.state_dict(), tmp_path / "sd.pt")
    state = torch.load(tmp_path / "sd.pt", weights_only=True)
    other = kt.Sequential([kt.Input((3,)), kt.layers.Dense(2, name="out")])
    other.load_state_dict(state)
    assert torch.equal(other(torch.ones(1, 3)), model(torch.ones(1, 3)))
    buffer = io.BytesIO()
    torch.save(_Payload(), buffer)
    buffer.seek(0)
    with pytest.raises(pickle.UnpicklingError):
        torch.load(buffer, weights_only=True)
    assert EXECUTED == []
