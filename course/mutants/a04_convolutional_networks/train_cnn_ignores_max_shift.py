"""Always shifts by up to 2 pixels, the typical value, ignoring max_shift (so max_shift = 0 still moves the images)."""
FUNCTION = "train_cnn"
EDITS = [
    ("            images = X[batch]\n"
     "            if max_shift > 0:  # augmentation: the same digits, moved by up to max_shift pixels\n"
     "                dy, dx = torch.randint(-max_shift, max_shift + 1, (2,), generator=generator).tolist()\n"
     "                images = torch.roll(images, shifts=(dy, dx), dims=(2, 3))",
     "            dy, dx = torch.randint(-2, 3, (2,), generator=generator).tolist()\n"
     "            images = torch.roll(X[batch], shifts=(dy, dx), dims=(2, 3))"),
]
