"""Shifts with torch.roll, which wraps around: the last row is compared with the first and the last column with the first."""
FUNCTION = "total_variation"
EDITS = [
    ("    vertical = image[:, 1:, :] - image[:, :-1, :]  # (C, H-1, W): each pixel minus the one above it\n"
     "    horizontal = image[:, :, 1:] - image[:, :, :-1]  # (C, H, W-1): each pixel minus the one to its left",
     "    vertical = torch.roll(image, shifts=1, dims=1) - image\n"
     "    horizontal = torch.roll(image, shifts=1, dims=2) - image"),
]
