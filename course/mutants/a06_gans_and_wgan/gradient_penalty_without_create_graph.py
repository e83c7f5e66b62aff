"""Computes the critic's gradient without create_graph=True, so the penalty never reaches the critic's weights."""
FUNCTION = "gradient_penalty"
EDITS = [
    ("    (grad,) = torch.autograd.grad(scores.sum(), x_hat, create_graph=True)     # (N, ...)",
     "    (grad,) = torch.autograd.grad(scores.sum(), x_hat)"),
]
