"""Clamps the pixels before the optimiser's step instead of after it, so the step can leave [0, 1]."""
import torch


def style_transfer_step(image, optimizer, loss_fn):
    """One step of gradient-based optimisation of an image's pixels."""
    optimizer.zero_grad()
    with torch.no_grad():
        image.clamp_(0.0, 1.0)
    loss = loss_fn(image)
    loss.backward()
    optimizer.step()
    return loss.item()
