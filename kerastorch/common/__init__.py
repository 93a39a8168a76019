"""The ground floor (DESIGN §10): what every other part stands on, importing only torch/numpy.

`naming` (auto names), `tree` (nested structures), `dtypes` (Keras's dtype names and
torch's), `registry` (Keras name -> class table, custom objects), `serialization` (config
<-> object codec, safe mode), `progbar` (Keras's progress bar).
"""
