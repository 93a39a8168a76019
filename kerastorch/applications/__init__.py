"""`keras.applications`: Keras's pretrained image models, with Keras's architectures, layer
names and parameter counts, so the weight files that Keras downloads load unchanged.

Each family has its module (`keras.applications.resnet50`, ...) with its constructors,
`preprocess_input` and `decode_predictions`; `imagenet_utils` holds what they share.
"""

from kerastorch.applications import (
    convnext,
    densenet,
    efficientnet,
    efficientnet_v2,
    imagenet_utils,
    inception_resnet_v2,
    inception_v3,
    mobilenet,
    mobilenet_v2,
    mobilenet_v3,
    nasnet,
    resnet,
    resnet50,
    resnet_v2,
    vgg16,
    vgg19,
    xception,
)
from kerastorch.applications.convnext import (
    ConvNeXtBase,
    ConvNeXtLarge,
    ConvNeXtSmall,
    ConvNeXtTiny,
    ConvNeXtXLarge,
)
from kerastorch.applications.densenet import DenseNet121, DenseNet169, DenseNet201
from kerastorch.applications.efficientnet import (
    EfficientNetB0,
    EfficientNetB1,
    EfficientNetB2,
    EfficientNetB3,
    EfficientNetB4,
    EfficientNetB5,
    EfficientNetB6,
    EfficientNetB7,
)
from kerastorch.applications.efficientnet_v2 import (
    EfficientNetV2B0,
    EfficientNetV2B1,
    EfficientNetV2B2,
    EfficientNetV2B3,
    EfficientNetV2L,
    EfficientNetV2M,
    EfficientNetV2S,
)
from kerastorch.applications.inception_resnet_v2 import InceptionResNetV2
from kerastorch.applications.inception_v3 import InceptionV3
from kerastorch.applications.mobilenet import MobileNet
from kerastorch.applications.mobilenet_v2 import MobileNetV2
from kerastorch.applications.mobilenet_v3 import MobileNetV3Large, MobileNetV3Small
from kerastorch.applications.nasnet import NASNetLarge, NASNetMobile
from kerastorch.applications.resnet import ResNet50, ResNet101, ResNet152
from kerastorch.applications.resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2
from kerastorch.applications.vgg16 import VGG16
from kerastorch.applications.vgg19 import VGG19
from kerastorch.applications.xception import Xception

__all__ = [
    "ConvNeXtBase",
    "ConvNeXtLarge",
    "ConvNeXtSmall",
    "ConvNeXtTiny",
    "ConvNeXtXLarge",
    "DenseNet121",
    "DenseNet169",
    "DenseNet201",
    "EfficientNetB0",
    "EfficientNetB1",
    "EfficientNetB2",
    "EfficientNetB3",
    "EfficientNetB4",
    "EfficientNetB5",
    "EfficientNetB6",
    "EfficientNetB7",
    "EfficientNetV2B0",
    "EfficientNetV2B1",
    "EfficientNetV2B2",
    "EfficientNetV2B3",
    "EfficientNetV2L",
    "EfficientNetV2M",
    "EfficientNetV2S",
    "InceptionResNetV2",
    "InceptionV3",
    "MobileNet",
    "MobileNetV2",
    "MobileNetV3Large",
    "MobileNetV3Small",
    "NASNetLarge",
    "NASNetMobile",
    "ResNet101",
    "ResNet101V2",
    "ResNet152",
    "ResNet152V2",
    "ResNet50",
    "ResNet50V2",
    "VGG16",
    "VGG19",
    "Xception",
    "convnext",
    "densenet",
    "efficientnet",
    "efficientnet_v2",
    "imagenet_utils",
    "inception_resnet_v2",
    "inception_v3",
    "mobilenet",
    "mobilenet_v2",
    "mobilenet_v3",
    "nasnet",
    "resnet",
    "resnet50",
    "resnet_v2",
    "vgg16",
    "vgg19",
    "xception",
]
