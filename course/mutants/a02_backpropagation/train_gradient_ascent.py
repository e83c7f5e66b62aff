"""Steps along the gradient (params + lr * grads) instead of against it, so the loss grows."""
FUNCTION = "train"
EDITS = [
    ("            params = {name: value - lr * grads[name] for name, value in params.items()}  # one step per batch",
     "            params = {name: value + lr * grads[name] for name, value in params.items()}"),
]
