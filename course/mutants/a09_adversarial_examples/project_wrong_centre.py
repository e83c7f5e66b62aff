"""Swaps the roles of the two arguments and clips the clean x into the box around x_adv."""
FUNCTION = "project"
EDITS = [
    ("    x_adv = torch.min(torch.max(x_adv, x - eps), x + eps)  # into the max-norm ball around x",
     "    x_adv = torch.min(torch.max(x, x_adv - eps), x_adv + eps)"),
]
