"""Draws an eps for every coordinate (torch.rand(real.shape)), so x_hat leaves the segment between real and fake."""
FUNCTION = "gradient_penalty"
EDITS = [
    ("        eps = torch.rand(n, generator=generator, dtype=real.dtype)\n"
     "    eps = eps.reshape(n, *([1] * (real.dim() - 1)))                           # (N, 1, ...): one weight per example",
     "        eps = torch.rand(real.shape, generator=generator, dtype=real.dtype)\n"
     "    else:\n"
     "        eps = eps.reshape(n, *([1] * (real.dim() - 1)))"),
]
