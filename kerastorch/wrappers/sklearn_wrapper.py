"""scikit-learn estimators around Keras models: `SKLearnClassifier`, `SKLearnRegressor` and
`SKLearnTransformer` (Keras's `keras.wrappers`).

Each wrapper takes a compiled `Model` (cloned at each `fit`) or a function
`model(X=..., y=..., **model_kwargs)` that builds and compiles one from the data, and then
works wherever scikit-learn expects an estimator: `Pipeline`, `cross_val_score`,
`GridSearchCV` (`get_params` / `set_params` / `clone`). The classifier one-hot encodes the
labels for training (`classes_`) and turns the model's outputs back into labels by argmax.

Example:
    >>> import numpy as np, kerastorch as keras
    >>> from kerastorch.wrappers import SKLearnRegressor
    >>> def build(X, y):
    ...     model = keras.Sequential([keras.Input((X.shape[1],)), keras.layers.Dense(1)])
    ...     model.compile(optimizer="sgd", loss="mse")
    ...     return model
    >>> regressor = SKLearnRegressor(model=build, fit_kwargs={"verbose": 0})
    >>> regressor.fit(np.ones((8, 3)), np.ones(8)).model_.output_shape
    (None, 1)
    >>> sorted(regressor.get_params())
    ['fit_kwargs', 'model', 'model_kwargs', 'warm_start']
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kerastorch.models import Model, clone_model
from kerastorch.wrappers.utils import (
    BaseEstimator,
    ClassifierMixin,
    RegressorMixin,
    TargetReshaper,
    TransformerMixin,
    assert_sklearn_installed,
    check_is_fitted,
    check_model,
    fit_request,
    one_hot_encoder,
    routing_enabled,
    type_of_target,
    validate_data,
)


class SKLBase(BaseEstimator):
    """The wrappers' shared base: `fit`, `predict`, cloning and the metadata requests.

    There are sources of randomness in model initialization and training: seed them
    (`keras.utils.set_random_seed`) for reproducible results.

    Args:
        model: a compiled `Model` (cloned before each fit, unless `warm_start=True`), or a
            callable taking `X` and `y` as keyword arguments (and `model_kwargs`) and
            returning a compiled `Model`.
        warm_start: reuse the model and its weights from the previous fit (the given
            `Model` itself, not a clone, at the first fit). Defaults to `False`.
        model_kwargs: keyword arguments for `model` when it is a callable.
        fit_kwargs: keyword arguments for `Model.fit`; those given to `fit` take precedence.

    Attributes:
        model_: the fitted `Model`.
        history_: the `History` returned by `Model.fit`.
    """

    def __init__(
        self,
        model: Any,
        warm_start: bool = False,
        model_kwargs: dict[str, Any] | None = None,
        fit_kwargs: dict[str, Any] | None = None,
    ):
        assert_sklearn_installed(self.__class__.__name__)
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    def _more_tags(self) -> dict[str, Any]:
        return {"non_deterministic": True}  # scikit-learn < 1.6

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.non_deterministic = True
        return tags

    def __sklearn_clone__(self) -> SKLBase:
        """A new unfitted estimator with the same parameters (what `sklearn.base.clone`
        calls); the model itself is shared, each fit clones it."""
        return type(self)(
            model=self.model,
            warm_start=self.warm_start,
            model_kwargs=self.model_kwargs,
            fit_kwargs=self.fit_kwargs,
        )

    @property
    def epoch_(self) -> int:
        """The number of epochs the last fit ran (0 before any fit)."""
        history = getattr(self, "history_", None)
        return 0 if history is None else len(history.epoch)

    def set_fit_request(self, **kwargs: Any) -> SKLBase:
        """Request metadata for `fit` (`param=alias`, alias one of `True`, `False`, `None`
        or a string), with scikit-learn's metadata routing enabled.

        Returns:
            self
        """
        if not routing_enabled():
            raise RuntimeError(
                "This method is only available when metadata routing is enabled. You can "
                "enable it using sklearn.set_config(enable_metadata_routing=True)."
            )
        self._metadata_request = fit_request(self.__class__.__name__, kwargs)
        return self

    def _get_model(self, X: Any, y: Any) -> Model:
        if self.warm_start and hasattr(self, "model_"):
            return self.model_
        if isinstance(self.model, Model):
            return self.model if self.warm_start else _clone_compiled(self.model)
        return self.model(X=X, y=y, **(self.model_kwargs or {}))

    def fit(self, X: Any, y: Any, **kwargs: Any) -> SKLBase:
        """Fit the model.

        Args:
            X: array-like of shape `(n_samples, n_features)`, the inputs.
            y: array-like of shape `(n_samples,)` or `(n_samples, n_outputs)`, the targets.
            **kwargs: keyword arguments for `Model.fit` (over `fit_kwargs`).

        Returns:
            self
        """
        X, y = validate_data(self, X, y)
        y = self._process_target(y, reset=True)
        model = self._get_model(X, y)
        check_model(model)
        self.history_ = model.fit(X, y, **{**(self.fit_kwargs or {}), **kwargs})
        self.model_ = model
        return self

    def predict(self, X: Any) -> Any:
        """The model's predictions for `X`, as targets (labels for the classifier)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return self._reverse_process_target(self.model_.predict(X))

    def _process_target(self, y: Any, reset: bool = False) -> Any:
        """Targets as the model trains on them: 1D targets become one column."""
        type_of_target(y, raise_unknown=True)  # the right error for invalid targets
        if reset:
            self._target_encoder = TargetReshaper().fit(y)
        return self._target_encoder.transform(y)

    def _reverse_process_target(self, y: Any) -> Any:
        return self._target_encoder.inverse_transform(y)


class SKLearnClassifier(ClassifierMixin, SKLBase):
    """A scikit-learn classifier around a Keras model (see `SKLBase` for the arguments).

    The labels are one-hot encoded for training, so the model needs one output per class
    (softmax with `categorical_crossentropy`); `predict` returns the labels of the largest
    outputs, `decision_function` the outputs themselves, `score` the accuracy.

    Attributes:
        model_: the fitted `Model`.
        history_: the `History` returned by `Model.fit`.
        classes_: the class labels, sorted.
    """

    def decision_function(self, X: Any) -> Any:
        """The model's raw outputs for `X`."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return self.model_.predict(X)

    def _process_target(self, y: Any, reset: bool = False) -> Any:
        """One-hot encoded labels (binary and multiclass targets only)."""
        target_type = type_of_target(y, raise_unknown=True)
        if target_type not in ["binary", "multiclass"]:
            raise ValueError(
                f"Only binary and multiclass target types are supported. Target type: {target_type}"
            )
        if reset:
            self._target_encoder = one_hot_encoder(y)
            self.classes_ = np.unique(y)
            if len(self.classes_) == 1:
                raise ValueError("Classifier can't train when only one class is present.")
        return self._target_encoder.transform(y)

    def _more_tags(self) -> dict[str, Any]:
        return {"poor_score": True}  # scikit-learn < 1.6

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        return tags


class SKLearnRegressor(RegressorMixin, SKLBase):
    """A scikit-learn regressor around a Keras model (see `SKLBase` for the arguments);
    `score` is the coefficient of determination R².

    Attributes:
        model_: the fitted `Model`.
        history_: the `History` returned by `Model.fit`.
    """

    def _more_tags(self) -> dict[str, Any]:
        return {"poor_score": True}  # scikit-learn < 1.6

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        return tags


class SKLearnTransformer(TransformerMixin, SKLBase):
    """A scikit-learn transformer around a Keras model (see `SKLBase` for the arguments):
    `transform` returns the model's outputs, e.g. embeddings to feed a later pipeline step.
    (A transformer in scikit-learn's sense, not the deep learning architecture.)

    Attributes:
        model_: the fitted `Model`.
        history_: the `History` returned by `Model.fit`.
    """

    def transform(self, X: Any) -> Any:
        """The model's outputs for `X` (array-like of shape `(n_samples, n_features)`)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return self.model_.predict(X)

    def _more_tags(self) -> dict[str, Any]:
        return {"preserves_dtype": []}  # scikit-learn < 1.6

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        return tags


def _clone_compiled(model: Model) -> Model:
    """`clone_model(model)`, compiled as `model` is (Keras's `clone_model` copies the
    compilation; kerastorch's does not yet)."""
    clone = clone_model(model)
    if getattr(model, "compiled", False) and not getattr(clone, "compiled", False):
        clone.compile_from_config(model.get_compile_config())
    return clone
