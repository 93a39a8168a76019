"""The import aliases of `kerastorch run`: installed for a block, then fully undone."""

import runpy
import sys

import torch

import kerastorch
from kerastorch import standin


def test_aliases_resolve_to_kerastorch_modules_and_are_undone():
    before = {n: m for n, m in sys.modules.items() if standin.target_of(n)}
    with standin.aliases():
        import tensorflow as tf
        import tensorflow.keras.layers as tf_layers
        from keras import losses
        from tensorflow.keras.layers.experimental import preprocessing

        assert tf.keras is kerastorch
        assert tf_layers is kerastorch.layers
        assert losses is kerastorch.losses
        assert preprocessing is kerastorch.layers
        assert kerastorch.layers.__spec__.name == "kerastorch.layers"
        t = torch.ones(2, requires_grad=True) * 2
        assert t.numpy().tolist() == [2.0, 2.0]  # as TensorFlow's .numpy()
    after = {n: m for n, m in sys.modules.items() if standin.target_of(n)}
    assert after == before  # a real Keras imported before is back, aliases gone
    assert not any(isinstance(f, standin.AliasFinder) for f in sys.meta_path)


def test_target_of():
    assert standin.target_of("tensorflow") == "kerastorch.tf_standin"
    assert standin.target_of("tensorflow.keras.layers") == "kerastorch.layers"
    assert standin.target_of("tf_keras.models") == "kerastorch.models"
    assert standin.target_of("tensorflowx") is None
    assert standin.target_of("kerastorch") is None


def test_load_ext_installs_the_aliases_in_the_running_kernel():
    try:
        kerastorch.load_ipython_extension(None)
        import tensorflow

        assert tensorflow.keras is kerastorch
    finally:
        standin.uninstall()
    assert "tensorflow" not in sys.modules


def test_installed_libraries_probing_for_tensorflow_do_not_find_the_stand_in(tmp_path):
    library = tmp_path / "site-packages" / "probe.py"
    library.parent.mkdir()
    library.write_text("import importlib.util\nFOUND = importlib.util.find_spec('tensorflow')\n")
    script = tmp_path / "script.py"
    script.write_text("import importlib.util\nFOUND = importlib.util.find_spec('tensorflow')\n")
    with standin.aliases():
        assert runpy.run_path(str(library))["FOUND"] is None
        assert runpy.run_path(str(script))["FOUND"] is not None
