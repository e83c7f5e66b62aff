"""Calls zero_grad() between backward() and step(), so the optimiser steps with a zero gradient and the image never moves."""
import torch


def style_transfer_step(image, optimizer, loss_fn):
    """One step of gradient-based optimisation of an image's pixels."""
    loss = loss_fn(image)
    loss.backward()
    optimizer.zero_grad()
    optimizer.step()
    with torch.no_grad():
        image.clamp_(0.0, 1.0)
    return loss.item()
