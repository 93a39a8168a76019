"""The int8 matmul and the straight-through gradient of quantized products."""

import torch

from kerastorch.layers.core.quantized_matmul import int8_matmul, straight_through


def test_int8_matmul_is_the_exact_integer_product_in_float32():
    generator = torch.Generator().manual_seed(0)
    x = torch.randint(-127, 128, (2, 3, 16), dtype=torch.int8, generator=generator)
    kernel = torch.randint(-127, 128, (16, 8), dtype=torch.int8, generator=generator)
    got = int8_matmul(x, kernel)
    assert got.dtype == torch.float32
    assert got.shape == (2, 3, 8)
    assert torch.equal(got.to(torch.int64), x.to(torch.int64) @ kernel.to(torch.int64))


def test_straight_through_returns_the_quantized_value_with_the_float_gradient():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    quantized = torch.round(x * 0.3).detach()
    out = straight_through(quantized, lambda: 3.0 * x)
    assert torch.equal(out.detach(), quantized)
    out.sum().backward()
    assert torch.equal(x.grad, torch.tensor([3.0, 3.0]))
    with torch.no_grad():
        assert straight_through(quantized, lambda: 3.0 * x) is quantized
