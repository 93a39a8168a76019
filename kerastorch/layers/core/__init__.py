"""Core layers: Input, Dense, EinsumDense, Activation, Lambda, Identity, Dropout, ..."""
