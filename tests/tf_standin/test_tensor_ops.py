"""The `tf.` tensor functions: TensorFlow's defaults and dtypes, on torch tensors."""

import numpy as np
import pytest
import torch

from kerastorch import tf_standin as tf


def test_constant_and_dtypes_follow_tensorflow():
    assert tf.constant([1, 2]).dtype == torch.int32
    assert tf.constant(1.5).dtype == torch.float32
    assert tf.constant(0.0, shape=(2, 3)).shape == (2, 3)
    assert tf.cast(tf.constant([1.7]), tf.int32).tolist() == [1]
    assert tf.range(5).dtype == torch.int32
    assert tf.range(1.0, 2.0, 0.5).tolist() == [1.0, 1.5]
    assert tf.zeros((2,)).dtype == torch.float32
    assert tf.shape(tf.ones((2, 3))).tolist() == [2, 3]
    assert tf.shape(tf.ones((2, 3))).dtype == torch.int32


def test_reductions_keep_integer_dtypes_and_reduce_all_axes_by_default():
    x = tf.constant([[1, 2], [3, 4]])
    assert tf.reduce_sum(x).dtype == torch.int32
    assert tf.reduce_sum(x).item() == 10
    assert tf.reduce_mean(x).item() == 2  # integer mean, as TF
    assert tf.reduce_mean(tf.cast(x, tf.float32), axis=0).tolist() == [2.0, 3.0]
    assert tf.reduce_max(x, axis=1, keepdims=True).tolist() == [[2], [4]]
    assert tf.reduce_prod(x, axis=[0, 1]).item() == 24
    assert tf.argmax(tf.constant([[1.0, 5.0], [3.0, 2.0]])).tolist() == [1, 0]  # axis 0
    assert tf.argmax(tf.constant([[1.0, 5.0]]), axis=1).dtype == torch.int64


def test_shape_functions():
    x = tf.constant(np.arange(6).reshape(2, 3))
    assert tf.transpose(x).shape == (3, 2)
    assert tf.transpose(tf.ones((2, 3, 4)), perm=[0, 2, 1]).shape == (2, 4, 3)
    assert tf.concat([x, x], axis=0).shape == (4, 3)
    assert tf.stack([x, x], axis=1).shape == (2, 2, 3)
    assert tf.expand_dims(x, -1).shape == (2, 3, 1)
    assert tf.squeeze(tf.ones((1, 3, 1))).shape == (3,)
    assert tf.reshape(x, [3, -1]).shape == (3, 2)
    a = tf.constant(np.ones((2, 3), "float32"))
    assert tf.matmul(a, a, transpose_b=True).tolist() == [[3.0, 3.0], [3.0, 3.0]]


def test_one_hot_where_and_clip():
    assert tf.one_hot([0, 2, 5], 3).tolist() == [[1, 0, 0], [0, 0, 1], [0, 0, 0]]
    assert tf.one_hot([1], 2, on_value=5.0, off_value=-1.0).tolist() == [[-1.0, 5.0]]
    assert tf.one_hot([0, 1], 2, axis=0).tolist() == [[1, 0], [0, 1]]
    assert tf.where(tf.constant([True, False])).tolist() == [[0]]
    assert tf.where(tf.constant([True, False]), 1.0, 2.0).tolist() == [1.0, 2.0]
    assert tf.clip_by_value(tf.constant([-2.0, 0.5, 3.0]), 0.0, 1.0).tolist() == [0.0, 0.5, 1.0]
    assert tf.math.log(tf.constant([1.0])).tolist() == [0.0]


def test_function_decorator_returns_the_function():
    def f(x):
        return x + 1

    assert tf.function(f) is f
    assert tf.function(jit_compile=True)(f) is f


def test_unknown_names_are_clear_errors():
    with pytest.raises(AttributeError, match=r"tf\.estimator is not provided"):
        _ = tf.estimator
    with pytest.raises(AttributeError, match=r"tf\.nn\.conv2d is not provided"):
        _ = tf.nn.conv2d
    assert not hasattr(tf.data.Dataset.from_tensors(1), "interleave")
