"""Builds a dense network on the flattened pixels, with no convolution or pooling at all."""
FUNCTION = "build_cnn"
EDITS = [
    ("    return nn.Sequential(\n"
     "        # no padding: the outer pixels of a digit are blank\n"
     "        nn.Conv2d(1, 16, kernel_size=5),                 # (N, 16, 24, 24)\n"
     "        # pool first: batch norm and ReLU then touch a quarter of the values (ReLU and max commute)\n"
     "        nn.MaxPool2d(2), nn.BatchNorm2d(16), nn.ReLU(),  # (N, 16, 12, 12)\n"
     "        nn.Conv2d(16, 32, kernel_size=5),                # (N, 32, 8, 8)\n"
     "        nn.MaxPool2d(2), nn.BatchNorm2d(32), nn.ReLU(),  # (N, 32, 4, 4)\n"
     "        nn.Flatten(),                                    # (N, 512)\n"
     "        nn.Linear(32 * 4 * 4, 64), nn.ReLU(),            # (N, 64)\n"
     "        nn.Linear(64, 10),                               # (N, 10) logits\n"
     "    )",
     "    return nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 100), nn.ReLU(), nn.Linear(100, 10))"),
]
