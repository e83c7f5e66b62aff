"""Uses torch's mse_loss with its default mean reduction, then halves it: divides by the number of entries."""
FUNCTION = "content_loss"
EDITS = [
    ("    return 0.5 * ((generated_features - content_features) ** 2).sum()",
     "    return 0.5 * torch.nn.functional.mse_loss(generated_features, content_features)"),
]
