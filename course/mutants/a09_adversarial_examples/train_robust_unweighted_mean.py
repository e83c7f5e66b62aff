"""Reports the plain mean of the batch losses, not weighted by the rows of a smaller last batch."""
FUNCTION = "train_robust"
EDITS = [
    ("        total = 0.0\n", "        losses = []\n"),
    ("            total += adversarial_training_step(model, optimizer, X[rows], y[rows], eps) * len(rows)",
     "            losses.append(adversarial_training_step(model, optimizer, X[rows], y[rows], eps))"),
    ("        history.append(total / len(X))  # the mean loss per example",
     "        history.append(sum(losses) / len(losses))"),
]
