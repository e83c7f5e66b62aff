"""Uses the layer's own activation a^l instead of the input a^(l-1) in BP4."""
FUNCTION = "backward"
EDITS = [
    ('        grads[f"W{l}"] = weight_gradient(delta, cache[f"a{l - 1}"])  # BP4',
     '        grads[f"W{l}"] = weight_gradient(delta, cache[f"a{l}"])'),
]
