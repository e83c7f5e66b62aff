"""Leaves out the cosine schedule and trains every epoch with the same learning rate lr."""
import numpy as np
import torch
from torch import nn


def train_cnn(model, X, y, epochs=5, batch_size=64, lr=3e-3, max_shift=2, seed=0):
    """Train model in place with Adam on shifted mini-batches; return the losses."""
    X, y = torch.as_tensor(X), torch.as_tensor(y)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(seed)
    model.train()
    epoch_losses = []
    for epoch in range(epochs):
        order = torch.randperm(len(X), generator=generator)
        batch_losses = []
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            images = X[batch]
            if max_shift > 0:
                dy, dx = torch.randint(-max_shift, max_shift + 1, (2,), generator=generator).tolist()
                images = torch.roll(images, shifts=(dy, dx), dims=(2, 3))
            optimizer.zero_grad()
            loss = loss_fn(model(images), y[batch])
            loss.backward()
            optimizer.step()
            batch_losses.append(loss.item())
        epoch_losses.append(float(np.mean(batch_losses)))
    return epoch_losses
