"""Assigns the weight and bias gradients at every step instead of adding them up, keeping only the first step's share."""
FUNCTION = "rnn_backward"
EDITS = [
    ('        grads["W_xh"] += delta.T @ x[k]  # (H, N) @ (N, D): shared weights, so sum over the steps\n'
     '        grads["W_hh"] += delta.T @ h_prev  # (H, N) @ (N, H): paired with the state that went in\n'
     '        grads["b"] += delta.sum(axis=0)',
     '        grads["W_xh"] = delta.T @ x[k]\n'
     '        grads["W_hh"] = delta.T @ h_prev\n'
     '        grads["b"] = delta.sum(axis=0)'),
]
