"""Divides without handling 0/0, so D* is nan wherever both densities vanish."""
FUNCTION = "optimal_discriminator"
EDITS = [
    ("    total = p_data + p_model\n"
     "    # where both densities vanish, V does not depend on D: take 1/2, D*'s value wherever p* = p_G\n"
     "    return torch.where(total > 0, p_data / total, torch.full_like(total, 0.5))",
     "    return p_data / (p_data + p_model)"),
]
