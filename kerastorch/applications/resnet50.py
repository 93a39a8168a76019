"""`keras.applications.resnet50`: ResNet50 with its caffe `preprocess_input` and
`decode_predictions`, the same objects as in `keras.applications.resnet`.

Example:
    >>> from kerastorch.applications import resnet, resnet50
    >>> resnet50.ResNet50 is resnet.ResNet50
    True
"""

from kerastorch.applications.resnet import ResNet50, decode_predictions, preprocess_input

__all__ = ["ResNet50", "decode_predictions", "preprocess_input"]
