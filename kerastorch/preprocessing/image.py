"""`keras.preprocessing.image`: image files and arrays (the functions of `keras.utils`)."""

from kerastorch.utils.image_utils import (
    array_to_img,
    img_to_array,
    load_img,
    save_img,
    smart_resize,
)

__all__ = ["array_to_img", "img_to_array", "load_img", "save_img", "smart_resize"]
