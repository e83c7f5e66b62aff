"""Creates a new Adam optimiser every epoch, which throws away its running averages."""
FUNCTION = "train_robust"
EDITS = [
    ("    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n", ""),
    ("        total = 0.0\n",
     "        total = 0.0\n"
     "        optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n"),
]
