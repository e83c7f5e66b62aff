"""Clamps the point itself into [-eps, eps] instead of its difference from x."""
FUNCTION = "project"
EDITS = [
    ("    x_adv = torch.min(torch.max(x_adv, x - eps), x + eps)  # into the max-norm ball around x",
     "    x_adv = x_adv.clamp(-eps, eps)"),
]
