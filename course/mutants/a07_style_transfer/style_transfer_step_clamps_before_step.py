"""Clamps the pixels before the optimiser's step instead of after it, so the step can leave [0, 1]."""
FUNCTION = "style_transfer_step"
EDITS = [
    ("    optimizer.zero_grad()  # backward() adds to image.grad: clear what the last step left",
     "    optimizer.zero_grad()  # backward() adds to image.grad: clear what the last step left\n"
     "    with torch.no_grad():\n"
     "        image.clamp_(0.0, 1.0)"),
    ("    optimizer.step()\n"
     "    with torch.no_grad():  # the projection onto valid pixels is not part of the loss\n"
     "        image.clamp_(0.0, 1.0)",
     "    optimizer.step()"),
]
