"""Returns the loss evaluated again after the step instead of the loss it back-propagated."""
import torch


def style_transfer_step(image, optimizer, loss_fn):
    """One step of gradient-based optimisation of an image's pixels."""
    optimizer.zero_grad()
    loss_fn(image).backward()
    optimizer.step()
    with torch.no_grad():
        image.clamp_(0.0, 1.0)
        return loss_fn(image).item()
