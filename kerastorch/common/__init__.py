"""The ground floor (DESIGN §10): what every other part stands on, importing only torch/numpy.

`naming` (auto names), `tree` (nested structures), `dtypes` (Keras's dtype names and
torch's), `shapes` (shapes in messages), `arguments` (keyword checks), `layouts` (torch <->
Keras weight layouts), `registry` (Keras name -> class tables, custom objects),
`serialization` (the config <-> object codec), `safe_mode` (what loading refuses),
`atomic` (files written through a synced temporary), `progbar` (Keras's progress bar).
"""
