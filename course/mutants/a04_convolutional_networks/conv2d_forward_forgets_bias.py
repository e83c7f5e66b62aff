"""Forgets to add the bias b[f] to the feature maps."""
FUNCTION = "conv2d_forward"
EDITS = [
    ("    return out + b[None, :, None, None]  # one bias per filter, the same at every position",
     "    return out"),
]
