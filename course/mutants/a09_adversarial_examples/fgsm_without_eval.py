"""Forgets model.eval(), so batch normalisation attacks with batch statistics and updates its running averages."""
FUNCTION = "fgsm"
EDITS = [
    ("    model.eval()  # batch norm on its running statistics, no dropout: attack the network that is tested\n", ""),
]
