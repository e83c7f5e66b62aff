"""Sets the default learning rate to 0.1, far too large for Adam: the loop is right, but the trained network misses 97%."""
FUNCTION = "train_cnn"
EDITS = [
    ("def train_cnn(model, X, y, epochs=5, batch_size=64, lr=3e-3, max_shift=2, seed=0):",
     "def train_cnn(model, X, y, epochs=5, batch_size=64, lr=0.1, max_shift=2, seed=0):"),
]
