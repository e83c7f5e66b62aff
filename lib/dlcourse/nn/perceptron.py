"""Rosenblatt's (1958) perceptron: a weighted sum, a step, and a mistake-driven update.

Forward pass (one example x of shape (d,))::

    z     = w . x + b                  # weighted sum ("net input")
    y_hat = step(z) = 1 if z >= 0 else 0

Learning rule, applied to one example at a time::

    w <- w + lr * (y - y_hat) * x      # Rosenblatt rule
    b <- b + lr * (y - y_hat)

The update is zero when the prediction is right, so only mistakes move the weights.
On linearly separable data the rule stops making mistakes after at most (R / gamma)^2
updates (Novikoff 1962); on data no line separates, such as XOR, it never stops
(Minsky & Papert 1969).
"""
from __future__ import annotations

import numpy as np

from .. import config
from .._validation import check_array, check_flag, check_int, check_real

__all__ = ["Perceptron"]


class Perceptron:
    """A single threshold unit for binary labels in {0, 1}.

    Parameters
    ----------
    n_features : int
        Number of inputs d of each example.
    lr : float, default 1.0
        Learning rate: the size of each correction. With zero initial weights it only
        rescales w and b, so the predictions (and the mistakes) do not depend on it.
    seed : int or None, default None
        None starts from w = 0, b = 0 (the textbook version); an integer draws small
        random weights from ``np.random.default_rng(seed)``.

    Attributes
    ----------
    w : ndarray of shape (n_features,)
        Weights.
    b : float
        Bias: the weight of an input that is always 1.
    converged : bool
        Whether the last ``fit`` ended with an epoch without mistakes.
    epochs_run : int
        Number of epochs the last ``fit`` ran.
    """

    def __init__(self, n_features: int, lr: float = 1.0, seed: int | None = None):
        self.n_features = check_int(n_features, "n_features", "Perceptron", minimum=1)
        self.lr = check_real(lr, "lr", "Perceptron", minimum=0, open_minimum=True)
        if seed is not None:
            check_int(seed, "seed", "Perceptron", allowed="an integer or None")
        if seed is None:
            self.w = np.zeros(self.n_features)
            self.b = 0.0
        else:
            # small, so the first few mistakes (steps of size lr) dominate the start
            rng = config.rng(seed)
            self.w = rng.normal(0.0, 0.01, size=self.n_features)
            self.b = float(rng.normal(0.0, 0.01))
        self.converged = False
        self.epochs_run = 0

    def __repr__(self) -> str:
        return f"Perceptron(n_features={self.n_features}, lr={self.lr})"

    # ----------------------------------------------------------------- forward pass
    def net_input(self, X):
        """Weighted sum z = X @ w + b.

        X: (n, n_features) examples, or one example of shape (n_features,).
        Returns z of shape (n,), or a float for a single example.
        """
        X, single = self._check_X(X, allow_single=True)
        z = X @ self.w + self.b  # (n,)
        return float(z[0]) if single else z

    def predict(self, X):
        """Labels y_hat = step(z): 1 where z >= 0, else 0.

        X: (n, n_features) examples, or one example of shape (n_features,).
        Returns an int64 array of shape (n,), or one int64 label for a single example.
        """
        X, single = self._check_X(X, allow_single=True)
        y_hat = self._predict(X)
        return y_hat[0] if single else y_hat

    def _predict(self, X):
        # z = 0 counts as class 1: the boundary itself belongs to the positive side
        return (X @ self.w + self.b >= 0).astype(np.int64)

    # ------------------------------------------------------------------- learning
    def update(self, x, y) -> int:
        """One step of the Rosenblatt rule on one example.

        x: (n_features,) one example; y: its label, 0 or 1.
        Returns 1 if the perceptron got x wrong (and the weights moved), else 0.
        """
        x = check_array(x, "x", "Perceptron.update")
        if x.shape != (self.n_features,):
            raise ValueError(
                f"Perceptron.update expects one example x of shape ({self.n_features},); got shape {x.shape}."
            )
        if not np.all(np.isfinite(x)):
            raise ValueError("Perceptron.update expects finite values in x; got NaN or infinity.")
        if np.ndim(y) != 0 or y not in (0, 1):
            raise ValueError(f"Perceptron.update expects a label y of 0 or 1; got {y!r}.")
        return self._update(x, int(y))

    def _update(self, x, y: int) -> int:
        y_hat = int(self.w @ x + self.b >= 0)
        error = y - y_hat  # -1, 0 or +1: only a mistake moves the weights
        self.w = self.w + self.lr * error * x  # Rosenblatt rule: w <- w + lr (y - y_hat) x
        self.b = self.b + self.lr * error  #                  b <- b + lr (y - y_hat)
        return int(error != 0)

    def fit(self, X, y, epochs: int = 100, shuffle: bool = True, seed: int | None = 0) -> list[int]:
        """Sweep the rule over the data until an epoch makes no mistake, or ``epochs`` run out.

        X: (n, n_features) examples; y: (n,) labels in {0, 1}.
        epochs: the most passes over the data; shuffle: visit the examples in a new random
        order each epoch, drawn from ``np.random.default_rng(seed)``.
        Training continues from the current w and b; make a new Perceptron to start over.
        Returns the number of mistakes in each epoch run (a list of ints), and sets
        ``converged`` and ``epochs_run``.
        """
        X, _ = self._check_X(X, allow_single=False)
        if X.shape[0] == 0:
            raise ValueError(f"Perceptron.fit expects at least one example; got X of shape {X.shape}.")
        y = self._check_y(y, n=X.shape[0])
        epochs = check_int(epochs, "epochs", "Perceptron.fit", minimum=1)
        shuffle = check_flag(shuffle, "shuffle", "Perceptron.fit")
        rng = config.rng(seed)
        mistakes_per_epoch = []
        self.converged = False
        for _ in range(epochs):
            order = rng.permutation(len(y)) if shuffle else range(len(y))
            mistakes = sum(self._update(X[i], int(y[i])) for i in order)
            mistakes_per_epoch.append(mistakes)
            if mistakes == 0:  # a full pass without an update: every example is classified right
                self.converged = True
                break
        self.epochs_run = len(mistakes_per_epoch)
        return mistakes_per_epoch

    # ----------------------------------------------------------------- validation
    def _check_X(self, X, allow_single: bool):
        """Return X as a float64 (n, n_features) array and whether it was a single example."""
        X = check_array(X, "X", "Perceptron")
        d = self.n_features
        single = allow_single and X.shape == (d,)
        if single:
            X = X[None, :]
        elif X.ndim != 2 or X.shape[1] != d:
            one = f" or one example of shape ({d},)" if allow_single else ""
            hint = "; use X.reshape(-1, 1) for n examples of one feature" if d == 1 and X.ndim == 1 else ""
            raise ValueError(f"Perceptron expects X of shape (n, {d}){one}; got shape {X.shape}{hint}.")
        if not np.all(np.isfinite(X)):
            raise ValueError("Perceptron expects finite values in X; got NaN or infinity.")
        return X, single

    @staticmethod
    def _check_y(y, n: int):
        y = check_array(y, "y", "Perceptron", dtype=None)
        if y.ndim != 1 or y.shape[0] != n:
            raise ValueError(f"Perceptron expects one label per row of X, y of shape ({n},); got shape {y.shape}.")
        values = np.unique(y)
        if not np.all(np.isin(values, (0, 1))):
            shown = ", ".join(str(v) for v in values[:5]) + (", ..." if len(values) > 5 else "")
            raise ValueError(f"Perceptron expects labels y in {{0, 1}}; got values {{{shown}}}.")
        return y.astype(np.int64)
