"""Core layers: Input, Dense, Activation, Lambda, Identity, Dropout, ..."""
