"""`keras.ops`: Keras's operations on torch tensors, which also record nodes on KerasTensors.

Floor 2 of DESIGN §10: it imports only `common/` and `graph/`.
"""
