"""Never clears the gradient, so from the second step on the optimiser follows the sum of all gradients so far."""
FUNCTION = "style_transfer_step"
EDITS = [
    ("    optimizer.zero_grad()  # backward() adds to image.grad: clear what the last step left\n"
     "    loss = loss_fn(image)",
     "    loss = loss_fn(image)"),
]
