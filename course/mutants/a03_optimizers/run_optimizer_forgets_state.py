"""Passes the initial state to every step and throws away the state each step returns."""
FUNCTION = "run_optimizer"
EDITS = [
    ("        param, state = step(param, grad_fn(param), state, t)",
     "        param, _ = step(param, grad_fn(param), state, t)"),
]
