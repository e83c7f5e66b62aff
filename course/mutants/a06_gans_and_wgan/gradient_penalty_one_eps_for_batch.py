"""Draws one eps for the whole batch (torch.rand(1)) instead of one per example."""
FUNCTION = "gradient_penalty"
EDITS = [
    ("        eps = torch.rand(n, generator=generator, dtype=real.dtype)",
     "        eps = torch.rand(1, generator=generator, dtype=real.dtype).expand(n)"),
]
