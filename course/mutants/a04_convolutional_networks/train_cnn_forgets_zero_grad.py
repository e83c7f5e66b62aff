"""Never calls optimizer.zero_grad(), so every step uses the sum of all gradients computed so far."""
FUNCTION = "train_cnn"
EDITS = [
    ("                images = torch.roll(images, shifts=(dy, dx), dims=(2, 3))\n"
     "            optimizer.zero_grad()  # backward() adds to .grad, so clear the last step's gradients",
     "                images = torch.roll(images, shifts=(dy, dx), dims=(2, 3))"),
]
