"""Passes the activations a^(l-1) instead of the pre-activations z^(l-1) to BP2, so tanh' is evaluated at tanh(z)."""
FUNCTION = "backward"
EDITS = [
    ('            delta = hidden_delta(delta, params[f"W{l}"], cache[f"z{l - 1}"])  # BP2: Delta^(l-1)',
     '            delta = hidden_delta(delta, params[f"W{l}"], cache[f"a{l - 1}"])'),
]
