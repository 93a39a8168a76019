"""`keras.applications`: Keras's pretrained image models, with Keras's architectures, layer
names and parameter counts, so the weight files that Keras downloads load unchanged.

Each family has its module (`keras.applications.resnet50`, ...) with its constructors,
`preprocess_input` and `decode_predictions`; `imagenet_utils` holds what they share.
"""

from kerastorch.applications import imagenet_utils

__all__ = [
    "imagenet_utils",
]
