"""Gets the gradient with backward() and x_hat.grad, which also pours gradients into the critic's .grad."""
FUNCTION = "gradient_penalty"
EDITS = [
    ("    (grad,) = torch.autograd.grad(scores.sum(), x_hat, create_graph=True)     # (N, ...)",
     "    scores.sum().backward(create_graph=True)\n"
     "    grad = x_hat.grad"),
]
