"""Computes the recurrent weight gradient with the state that came out of the step, delta_t^T h_t, instead of h_(t-1)."""
FUNCTION = "rnn_backward"
EDITS = [
    ('        grads["W_hh"] += delta.T @ h_prev  # (H, N) @ (N, H): paired with the state that went in',
     '        grads["W_hh"] += delta.T @ hs[k]'),
]
