"""Clamps out of place (image = image.clamp(0, 1)), which rebinds the local name and leaves the caller's image unclamped."""
FUNCTION = "style_transfer_step"
EDITS = [
    ("    with torch.no_grad():  # the projection onto valid pixels is not part of the loss\n"
     "        image.clamp_(0.0, 1.0)",
     "    image = image.clamp(0.0, 1.0)"),
]
