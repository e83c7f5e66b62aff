"""Uses 10000^(i/d) instead of 10000^(2i/d), so the frequencies fall only half as far."""
FUNCTION = "sinusoidal_positions"
EDITS = [
    ("    frequencies = 10000.0 ** (-torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)  # (d/2,): 1 / 10000^(2i/d)",
     "    frequencies = 10000.0 ** (-torch.arange(d_model // 2, dtype=torch.float64) / d_model)"),
]
