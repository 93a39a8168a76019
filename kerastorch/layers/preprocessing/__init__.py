"""Preprocessing layers that run inside a model (Keras's `keras.layers` preprocessing set).

Image layers run batched on the device with torch ops; the string/vocabulary layers
(`StringLookup`, `IntegerLookup`, `TextVectorization`, `HashedCrossing`) run on the host
on Python lists / NumPy arrays and return torch tensors.
"""

from kerastorch.layers.preprocessing.aug_mix import AugMix
from kerastorch.layers.preprocessing.auto_contrast import AutoContrast
from kerastorch.layers.preprocessing.category_encoding import CategoryEncoding
from kerastorch.layers.preprocessing.center_crop import CenterCrop
from kerastorch.layers.preprocessing.clahe import ContrastLimitedAdaptiveHistogramEqualization
from kerastorch.layers.preprocessing.cut_mix import CutMix
from kerastorch.layers.preprocessing.discretization import Discretization
from kerastorch.layers.preprocessing.equalization import Equalization
from kerastorch.layers.preprocessing.hashed_crossing import HashedCrossing
from kerastorch.layers.preprocessing.hashing import Hashing
from kerastorch.layers.preprocessing.integer_lookup import IntegerLookup
from kerastorch.layers.preprocessing.max_num_bounding_box import MaxNumBoundingBoxes
from kerastorch.layers.preprocessing.mel_spectrogram import MelSpectrogram
from kerastorch.layers.preprocessing.mix_up import MixUp
from kerastorch.layers.preprocessing.normalization import Normalization
from kerastorch.layers.preprocessing.pipeline import Pipeline
from kerastorch.layers.preprocessing.rand_augment import RandAugment
from kerastorch.layers.preprocessing.random_brightness import RandomBrightness
from kerastorch.layers.preprocessing.random_color_degeneration import RandomColorDegeneration
from kerastorch.layers.preprocessing.random_color_jitter import RandomColorJitter
from kerastorch.layers.preprocessing.random_contrast import RandomContrast
from kerastorch.layers.preprocessing.random_crop import RandomCrop
from kerastorch.layers.preprocessing.random_elastic_transform import RandomElasticTransform
from kerastorch.layers.preprocessing.random_erasing import RandomErasing
from kerastorch.layers.preprocessing.random_flip import RandomFlip
from kerastorch.layers.preprocessing.random_gaussian_blur import RandomGaussianBlur
from kerastorch.layers.preprocessing.random_grayscale import RandomGrayscale
from kerastorch.layers.preprocessing.random_hue import RandomHue
from kerastorch.layers.preprocessing.random_invert import RandomInvert
from kerastorch.layers.preprocessing.random_perspective import RandomPerspective
from kerastorch.layers.preprocessing.random_posterization import RandomPosterization
from kerastorch.layers.preprocessing.random_rotation import RandomRotation
from kerastorch.layers.preprocessing.random_saturation import RandomSaturation
from kerastorch.layers.preprocessing.random_sharpness import RandomSharpness
from kerastorch.layers.preprocessing.random_shear import RandomShear
from kerastorch.layers.preprocessing.random_translation import RandomTranslation
from kerastorch.layers.preprocessing.random_zoom import RandomZoom
from kerastorch.layers.preprocessing.rescaling import Rescaling
from kerastorch.layers.preprocessing.resizing import Resizing
from kerastorch.layers.preprocessing.solarization import Solarization
from kerastorch.layers.preprocessing.stft_spectrogram import STFTSpectrogram
from kerastorch.layers.preprocessing.string_lookup import StringLookup
from kerastorch.layers.preprocessing.text_vectorization import TextVectorization

__all__ = [
    "AugMix",
    "AutoContrast",
    "CategoryEncoding",
    "CenterCrop",
    "ContrastLimitedAdaptiveHistogramEqualization",
    "CutMix",
    "Discretization",
    "Equalization",
    "HashedCrossing",
    "Hashing",
    "IntegerLookup",
    "MaxNumBoundingBoxes",
    "MelSpectrogram",
    "MixUp",
    "Normalization",
    "Pipeline",
    "RandAugment",
    "RandomBrightness",
    "RandomColorDegeneration",
    "RandomColorJitter",
    "RandomContrast",
    "RandomCrop",
    "RandomElasticTransform",
    "RandomErasing",
    "RandomFlip",
    "RandomGaussianBlur",
    "RandomGrayscale",
    "RandomHue",
    "RandomInvert",
    "RandomPerspective",
    "RandomPosterization",
    "RandomRotation",
    "RandomSaturation",
    "RandomSharpness",
    "RandomShear",
    "RandomTranslation",
    "RandomZoom",
    "Rescaling",
    "Resizing",
    "STFTSpectrogram",
    "Solarization",
    "StringLookup",
    "TextVectorization",
]
