"""Uses the layer's own activation a^l instead of the input a^(l-1) in BP4."""


def backward(params, cache, y):
    """Gradients of the mean cross-entropy with respect to every parameter, by BP1-BP4."""
    grads = {}
    delta = output_delta(cache["a3"], y)
    for l in (3, 2, 1):
        grads[f"W{l}"] = weight_gradient(delta, cache[f"a{l}"])
        grads[f"b{l}"] = bias_gradient(delta)
        if l > 1:
            delta = hidden_delta(delta, params[f"W{l}"], cache[f"z{l - 1}"])
    return grads
