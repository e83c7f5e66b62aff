"""Interpolates the other way round, x_hat = eps * fake + (1 - eps) * real, against the stated convention."""
FUNCTION = "gradient_penalty"
EDITS = [
    ("    x_hat = (eps * real.detach() + (1 - eps) * fake.detach()).requires_grad_(True)",
     "    x_hat = (eps * fake.detach() + (1 - eps) * real.detach()).requires_grad_(True)"),
]
