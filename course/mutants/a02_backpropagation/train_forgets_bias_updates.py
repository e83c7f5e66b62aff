"""Updates only the weight matrices and leaves the biases at their initial zeros."""
FUNCTION = "train"
EDITS = [
    ("            params = {name: value - lr * grads[name] for name, value in params.items()}  # one step per batch",
     '            for name in ("W1", "W2", "W3"):\n'
     "                params[name] = params[name] - lr * grads[name]"),
]
