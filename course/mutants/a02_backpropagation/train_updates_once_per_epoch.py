"""Puts the update after the batch loop (an indentation slip), so each epoch takes one step, with the last batch's gradient."""
FUNCTION = "train"
EDITS = [
    ("            params = {name: value - lr * grads[name] for name, value in params.items()}  # one step per batch",
     "        params = {name: value - lr * grads[name] for name, value in params.items()}"),
]
