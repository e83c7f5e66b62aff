"""Projects onto the Euclidean ball of radius eps around x, the wrong norm for a max-norm budget."""
FUNCTION = "project"
EDITS = [
    ("    x_adv = torch.min(torch.max(x_adv, x - eps), x + eps)  # into the max-norm ball around x",
     "    delta = x_adv - x\n"
     "    norm = delta.flatten(1).norm(dim=1).view(-1, *[1] * (delta.ndim - 1)) if delta.ndim > 1 else delta.norm()\n"
     "    x_adv = x + delta * torch.clamp(eps / (norm + 1e-12), max=1.0)"),
]
