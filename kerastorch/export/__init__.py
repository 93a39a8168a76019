"""Exporting models for inference, as `keras.export`: ONNX through `torch.onnx`."""

from kerastorch.export.onnx import export_onnx

__all__ = ["export_onnx"]
