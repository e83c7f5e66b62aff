"""Seeds nothing: the critic's start and every draw change from call to call."""
FUNCTION = "train_theta"
EDITS = [
    ("    X = torch.tensor(dlcourse.datasets.parallel_lines(0.0, n=1024, seed=seed), dtype=torch.float32)  # (1024, 2)\n"
     "    torch.manual_seed(seed)  # the critic's initial weights",
     "    X = torch.tensor(dlcourse.datasets.parallel_lines(0.0, n=1024, seed=seed), dtype=torch.float32)  # (1024, 2)"),
    ("    draws = torch.Generator().manual_seed(seed)  # batches, noise and interpolation weights",
     "    draws = torch.Generator()\n"
     "    draws.seed()  # batches, noise and interpolation weights"),
]
