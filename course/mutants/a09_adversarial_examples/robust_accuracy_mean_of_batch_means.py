"""Averages the accuracies of the batches, which overweights a smaller last batch."""
FUNCTION = "robust_accuracy"
EDITS = [
    ("    correct = 0\n", "    accuracies = []\n"),
    ("            correct += (model(x_batch).argmax(dim=1) == y_batch).sum().item()",
     "            accuracies.append((model(x_batch).argmax(dim=1) == y_batch).float().mean().item())"),
    ("    return correct / len(x)", "    return sum(accuracies) / len(accuracies)"),
]
