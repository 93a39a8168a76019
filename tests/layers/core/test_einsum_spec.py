import pytest

from kerastorch.layers.core.einsum_spec import analyze_einsum, quantization_axes
from tests.oracle import keras_or_skip

EQUATIONS = [  # (equation, bias_axes, input_shape, output_shape)
    ("ab,bc->ac", "c", (None, 3), (4,)),
    ("abc,cde->abde", "de", (None, 3, 6), (3, 4, 5)),
    ("...b,bc->...c", "c", (None, 2, 3, 4), (5,)),
    ("ab...,bc->ac...", "c", (None, 4, 3), (5,)),
    ("abcd,cde->abe", None, (None, 3, 4, 5), (3, 6)),
    ("abc,dc->abd", "d", (None, 3, 4), (3, 5)),
    ("abc,bcd->ad", "d", (None, 3, 4), (7,)),
]


@pytest.mark.parity
@pytest.mark.parametrize(("equation", "bias_axes", "input_shape", "output_shape"), EQUATIONS)
def test_einsum_analysis_matches_keras(equation, bias_axes, input_shape, output_shape):
    keras_or_skip()
    from keras.src.layers.core import einsum_dense as keras_einsum

    spec = analyze_einsum(equation, bias_axes, input_shape, output_shape)
    theirs = keras_einsum._analyze_einsum_string(equation, bias_axes, input_shape, output_shape)
    assert [spec.kernel_shape, spec.bias_shape, spec.output_shape] == [
        list(v) if v is not None else None for v in theirs[:3]
    ]
    assert (spec.input_axes, spec.output_axes) == (list(theirs[3]), list(theirs[4]))
    if "..." in equation:  # Keras passes an int where a shape is expected: it cannot analyze
        return
    axes = quantization_axes(equation, len(input_shape))
    theirs = keras_einsum._analyze_quantization_info(equation, len(input_shape))
    names = ["input_reduced", "kernel_reduced", "input_transpose", "kernel_transpose",
             "input_expand", "kernel_expand", "input_squeeze", "kernel_squeeze"]  # fmt: skip
    ours = [getattr(axes, name) for name in names]
    assert ours == [list(v) for v in theirs[:8]]
