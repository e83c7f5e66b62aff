"""Clamps out of place (image = image.clamp(0, 1)), which rebinds the local name and leaves the caller's image unclamped."""


def style_transfer_step(image, optimizer, loss_fn):
    """One step of gradient-based optimisation of an image's pixels."""
    optimizer.zero_grad()
    loss = loss_fn(image)
    loss.backward()
    optimizer.step()
    image = image.clamp(0.0, 1.0)
    return loss.item()
