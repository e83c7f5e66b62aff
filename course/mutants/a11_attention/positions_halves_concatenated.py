"""Puts all the sines in the first half of the columns and all the cosines in the second, instead of alternating."""
FUNCTION = "sinusoidal_positions"
EDITS = [
    ("    encoding[:, 0::2] = torch.sin(angles)  # the even columns\n"
     "    encoding[:, 1::2] = torch.cos(angles)  # the odd columns, at the same frequencies",
     "    encoding = torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)"),
]
