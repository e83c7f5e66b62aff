"""Never clears the gradient, so from the second step on the optimiser follows the sum of all gradients so far."""
import torch


def style_transfer_step(image, optimizer, loss_fn):
    """One step of gradient-based optimisation of an image's pixels."""
    loss = loss_fn(image)
    loss.backward()
    optimizer.step()
    with torch.no_grad():
        image.clamp_(0.0, 1.0)
    return loss.item()
