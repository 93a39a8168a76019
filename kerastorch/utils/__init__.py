"""Utilities as in `keras.utils`: one-hot labels, seeding, datasets by batch, progress bar."""

from kerastorch.backend import clear_session, is_keras_tensor, standardize_dtype
from kerastorch.common.progbar import Progbar
from kerastorch.common.py_dataset import PyDataset, Sequence
from kerastorch.common.registry import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from kerastorch.common.serialization import deserialize_keras_object, serialize_keras_object
from kerastorch.config import (
    disable_interactive_logging,
    enable_interactive_logging,
    is_interactive_logging_enabled,
)
from kerastorch.utils import bounding_boxes as bounding_boxes
from kerastorch.utils import legacy as legacy
from kerastorch.utils.audio_dataset import audio_dataset_from_directory
from kerastorch.utils.config import Config
from kerastorch.utils.dataset_utils import (
    pack_x_y_sample_weight,
    split_dataset,
    unpack_x_y_sample_weight,
)
from kerastorch.utils.feature_space import FeatureSpace
from kerastorch.utils.file_utils import get_file
from kerastorch.utils.image_dataset import image_dataset_from_directory
from kerastorch.utils.image_utils import array_to_img, img_to_array, load_img, save_img
from kerastorch.utils.model_visualization import model_to_dot, plot_model
from kerastorch.utils.numerical import normalize, to_categorical
from kerastorch.utils.operation_utils import get_source_inputs
from kerastorch.utils.random import set_random_seed
from kerastorch.utils.sequence_utils import pad_sequences
from kerastorch.utils.text_dataset import text_dataset_from_directory
from kerastorch.utils.timeseries_dataset import timeseries_dataset_from_array

__all__ = [
    "Config",
    "CustomObjectScope",
    "FeatureSpace",
    "Progbar",
    "PyDataset",
    "Sequence",
    "array_to_img",
    "audio_dataset_from_directory",
    "clear_session",
    "custom_object_scope",
    "deserialize_keras_object",
    "disable_interactive_logging",
    "enable_interactive_logging",
    "get_custom_objects",
    "get_file",
    "get_registered_name",
    "get_registered_object",
    "get_source_inputs",
    "image_dataset_from_directory",
    "img_to_array",
    "is_interactive_logging_enabled",
    "is_keras_tensor",
    "load_img",
    "model_to_dot",
    "normalize",
    "pack_x_y_sample_weight",
    "pad_sequences",
    "plot_model",
    "register_keras_serializable",
    "save_img",
    "serialize_keras_object",
    "set_random_seed",
    "split_dataset",
    "standardize_dtype",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
    "to_categorical",
    "unpack_x_y_sample_weight",
]
