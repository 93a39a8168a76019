"""Exporting models for inference, as `keras.export`: `torch.export` programs and ONNX.

`model.export(path, format=...)` picks the writer (`export_model`); `ExportArchive` collects
several endpoints. TensorFlow SavedModel, LiteRT and OpenVINO need their own runtimes and
raise, naming the formats that work here.
"""

from kerastorch.export.export_archive import ExportArchive
from kerastorch.export.formats import export_model
from kerastorch.export.onnx import export_onnx
from kerastorch.export.torch_program import export_torch

__all__ = ["ExportArchive", "export_model", "export_onnx", "export_torch"]
