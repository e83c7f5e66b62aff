"""Puts the model's density on top: p_G / (p* + p_G), the probability of being generated."""
FUNCTION = "optimal_discriminator"
EDITS = [
    ("    return torch.where(total > 0, p_data / total, torch.full_like(total, 0.5))",
     "    return torch.where(total > 0, p_model / total, torch.full_like(total, 0.5))"),
]
