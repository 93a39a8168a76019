"""scikit-learn wrappers for Keras models, as `keras.wrappers` (scikit-learn is optional:
the wrappers raise an `ImportError` naming `pip install scikit-learn` without it).

Example:
    >>> from kerastorch import wrappers
    >>> wrappers.__all__
    ['SKLearnClassifier', 'SKLearnRegressor', 'SKLearnTransformer']
"""

from kerastorch.wrappers.sklearn_wrapper import (
    SKLearnClassifier,
    SKLearnRegressor,
    SKLearnTransformer,
)

__all__ = ["SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer"]
