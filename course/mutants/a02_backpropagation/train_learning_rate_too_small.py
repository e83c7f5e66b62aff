"""A correct loop with a learning rate of 0.01 as its default: after 300 epochs the spiral is still far from 95%."""
FUNCTION = "train"
EDITS = [
    ("def train(X, y, hidden=64, lr=0.5, epochs=300, batch_size=50, seed=0):",
     "def train(X, y, hidden=64, lr=0.01, epochs=300, batch_size=50, seed=0):"),
]
