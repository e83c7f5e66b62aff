"""Ends the network with nn.Softmax, so it returns probabilities and nn.CrossEntropyLoss applies a second softmax."""
FUNCTION = "build_cnn"
EDITS = [
    ("        nn.Linear(64, 10),                               # (N, 10) logits",
     "        nn.Linear(64, 10),                               # (N, 10) logits\n"
     "        nn.Softmax(dim=1),"),
]
