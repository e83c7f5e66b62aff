"""Builds the table in torch's default dtype, float32, instead of float64."""
FUNCTION = "sinusoidal_positions"
EDITS = [
    ("    positions = torch.arange(length, dtype=torch.float64)[:, None]  # (length, 1)",
     "    positions = torch.arange(length, dtype=torch.float32)[:, None]"),
    ("    frequencies = 10000.0 ** (-torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)  # (d/2,): 1 / 10000^(2i/d)",
     "    frequencies = 10000.0 ** (-torch.arange(0, d_model, 2, dtype=torch.float32) / d_model)"),
    ("    encoding = torch.zeros(length, d_model, dtype=torch.float64)",
     "    encoding = torch.zeros(length, d_model)"),
]
