"""Returns the loss evaluated again after the step instead of the loss it back-propagated."""
FUNCTION = "style_transfer_step"
EDITS = [
    ("    return loss.item()",
     "    return loss_fn(image).item()"),
]
