"""Multiplies by W instead of W.T (the math habit W x carried over to torch's (n_out, n_in) layout); fails for non-square layers."""
FUNCTION = "forward"
EDITS = [
    ('        z = a @ params[f"W{l}"].T + params[f"b{l}"]  # (N, n_l): one row per example, as torch.nn.Linear',
     '        z = a @ params[f"W{l}"] + params[f"b{l}"]'),
]
