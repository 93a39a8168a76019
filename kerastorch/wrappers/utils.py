"""What the scikit-learn wrappers take from scikit-learn, and the target reshaping they share.

scikit-learn is optional: without it this module still imports (the base classes become
empty stand-ins) and `assert_sklearn_installed` raises an `ImportError` naming
`pip install scikit-learn` when a wrapper is made.

Example:
    >>> import numpy as np
    >>> reshaper = TargetReshaper().fit(np.array([1, 2, 3]))
    >>> reshaper.transform(np.array([1, 2, 3])).shape
    (3, 1)
    >>> reshaper.inverse_transform(np.ones((3, 1))).shape
    (3,)
"""

from __future__ import annotations

from typing import Any

import numpy as np

try:
    import sklearn
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder
    from sklearn.utils.metadata_routing import MetadataRequest
    from sklearn.utils.multiclass import type_of_target as sklearn_type_of_target
    from sklearn.utils.validation import check_is_fitted

    try:  # scikit-learn >= 1.6
        from sklearn.utils.validation import validate_data as sklearn_validate_data
    except ImportError:
        sklearn_validate_data = None
except ImportError:  # the wrappers' constructors raise `assert_sklearn_installed`'s error
    sklearn = check_is_fitted = make_pipeline = OneHotEncoder = MetadataRequest = None
    sklearn_type_of_target = sklearn_validate_data = None

    class BaseEstimator:  # type: ignore[no-redef]
        """Stand-in for `sklearn.base.BaseEstimator` when scikit-learn is not installed."""

    class ClassifierMixin:  # type: ignore[no-redef]
        """Stand-in for `sklearn.base.ClassifierMixin`."""

    class RegressorMixin:  # type: ignore[no-redef]
        """Stand-in for `sklearn.base.RegressorMixin`."""

    class TransformerMixin:  # type: ignore[no-redef]
        """Stand-in for `sklearn.base.TransformerMixin`."""


def assert_sklearn_installed(symbol_name: str) -> None:
    """Raise `ImportError` naming `symbol_name` unless scikit-learn is installed."""
    if sklearn is None:
        raise ImportError(
            f"{symbol_name} requires `scikit-learn` to be installed. "
            "Run `pip install scikit-learn` to install it."
        )


def check_model(model: Any) -> None:
    """Raise `RuntimeError` unless `model` is compiled with a loss and an optimizer."""
    if not getattr(model, "compiled", False) or not model.loss or not model.optimizer:
        raise RuntimeError("Given model needs to be compiled, and have a loss and an optimizer.")


def validate_data(estimator: Any, *args: Any, **kwargs: Any) -> Any:
    """scikit-learn's input validation (`sklearn.utils.validation.validate_data` from 1.6,
    the estimator's `_validate_data` before)."""
    if sklearn_validate_data is None:
        return estimator._validate_data(*args, **kwargs)
    return sklearn_validate_data(estimator, *args, **kwargs)


def type_of_target(y: Any, input_name: str = "", *, raise_unknown: bool = False) -> str:
    """scikit-learn's `type_of_target`; `raise_unknown=True` raises on `"unknown"` targets."""
    target_type = sklearn_type_of_target(y, input_name=input_name)
    if raise_unknown and target_type == "unknown":
        raise ValueError(f"Unknown label type for {input_name or 'data'}: {y!r}")
    return target_type


def routing_enabled() -> bool:
    """Whether scikit-learn's metadata routing is enabled (`sklearn.set_config`)."""
    if sklearn is None:
        return False
    return bool(sklearn.get_config().get("enable_metadata_routing", False))


def one_hot_encoder(y: Any) -> Any:
    """A fitted pipeline turning class labels into one-hot rows (and back, by argmax)."""
    return make_pipeline(TargetReshaper(), OneHotEncoder(sparse_output=False)).fit(y)


def fit_request(owner: str, requests: dict[str, Any]) -> Any:
    """A `MetadataRequest` asking for `requests` (`{param: alias}`) in `fit`."""
    request = MetadataRequest(owner=owner)
    for param, alias in requests.items():
        request.fit.add_request(param=param, alias=alias)
    return request


class TargetReshaper(TransformerMixin, BaseEstimator):
    """Make 1D targets 2D (one column) and back, for transformers that need 2D input.

    Attributes:
        ndim_: the number of dimensions of the targets it was fitted on.
    """

    def fit(self, y: Any) -> TargetReshaper:
        """Remember the targets' number of dimensions."""
        self.ndim_ = y.ndim
        return self

    def transform(self, y: Any) -> Any:
        """`y` with a column axis added when it is 1D."""
        return y.reshape(-1, 1) if y.ndim == 1 else y

    def inverse_transform(self, y: Any) -> Any:
        """`y` squeezed back to 1D when it was fitted on 1D targets and has one column."""
        check_is_fitted(self)
        if self.ndim_ == 1 and y.ndim == 2:
            return np.squeeze(y, axis=1)
        return y
