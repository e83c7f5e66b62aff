"""Adds 1e-8 to the denominator to avoid 0/0: D* becomes 0 there and wrong for small densities."""
FUNCTION = "optimal_discriminator"
EDITS = [
    ("    total = p_data + p_model\n"
     "    # where both densities vanish, V does not depend on D: take 1/2, D*'s value wherever p* = p_G\n"
     "    return torch.where(total > 0, p_data / total, torch.full_like(total, 0.5))",
     "    return p_data / (p_data + p_model + 1e-8)"),
]
