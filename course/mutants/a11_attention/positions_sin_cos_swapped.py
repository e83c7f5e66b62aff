"""Puts the cosine in the even columns and the sine in the odd ones."""
FUNCTION = "sinusoidal_positions"
EDITS = [
    ("    encoding[:, 0::2] = torch.sin(angles)  # the even columns\n"
     "    encoding[:, 1::2] = torch.cos(angles)  # the odd columns, at the same frequencies",
     "    encoding[:, 0::2] = torch.cos(angles)\n"
     "    encoding[:, 1::2] = torch.sin(angles)"),
]
