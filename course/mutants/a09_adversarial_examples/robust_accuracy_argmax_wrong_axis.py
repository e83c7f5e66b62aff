"""Takes the argmax over the batch axis (dim=0) instead of over the classes."""
FUNCTION = "robust_accuracy"
EDITS = [
    ("            correct += (model(x_batch).argmax(dim=1) == y_batch).sum().item()",
     "            correct += (model(x_batch).argmax(dim=0) == y_batch).sum().item()"),
]
