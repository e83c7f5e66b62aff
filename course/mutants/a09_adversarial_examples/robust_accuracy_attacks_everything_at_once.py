"""Attacks the whole of x in one call before batching, which the batches were there to avoid."""
FUNCTION = "robust_accuracy"
EDITS = [
    ("    correct = 0\n",
     "    correct = 0\n"
     "    if attack is not None:\n"
     "        x = attack(model, x, y)\n"
     "        attack = None\n"),
]
