"""Updates only the weight matrices and leaves the biases at their initial zeros."""
import numpy as np


def train(X, y, hidden=64, lr=0.5, epochs=300, batch_size=50, seed=0):
    """Train the network of this assignment by mini-batch gradient descent; return its parameters."""
    rng = np.random.default_rng(seed)
    n = X.shape[0]
    params = init_params([X.shape[1], hidden, hidden, int(np.max(y)) + 1], seed)
    for epoch in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            _, cache = forward(params, X[batch])
            grads = backward(params, cache, y[batch])
            for name in ("W1", "W2", "W3"):
                params[name] = params[name] - lr * grads[name]
    return params
