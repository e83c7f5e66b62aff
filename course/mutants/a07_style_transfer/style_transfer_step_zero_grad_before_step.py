"""Calls zero_grad() between backward() and step(), so the optimiser steps with a zero gradient and the image never moves."""
FUNCTION = "style_transfer_step"
EDITS = [
    ("    optimizer.zero_grad()  # backward() adds to image.grad: clear what the last step left\n"
     "    loss = loss_fn(image)",
     "    loss = loss_fn(image)"),
    ("    loss.backward()  # image.grad = dL/dx",
     "    loss.backward()  # image.grad = dL/dx\n"
     "    optimizer.zero_grad()"),
]
