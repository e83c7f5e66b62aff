"""Graph convolutional networks in PyTorch, and semi-supervised node classification (lecture 16).

The layer of Kipf & Welling (2017), with A_hat = D~^-1/2 (A + I) D~^-1/2 from
``dlcourse.nn.graphs.normalized_adjacency``::

    H' = sigma(A_hat H W)                      (GCN layer: transform, then average over neighbours)
    Z  = A_hat sigma(A_hat X W0) W1            (GCN: two layers, logits Z of shape (N, C))

Node classification is semi-supervised: the whole graph (every node's features and every
edge) goes through the network at once, but the loss only counts the few labelled nodes::

    for each epoch:
        (N1) Z = model(A_hat, X)                                 (full batch: all N nodes)
        (N2) loss = cross-entropy of Z[train_mask] against y[train_mask]
        (N3) one Adam step on grad loss (with weight decay)
        (N4) record the loss and the accuracy on the labelled and the other nodes

The labels still spread to the unlabelled nodes, through the edges: after two layers a
node's logits depend on everything within two hops.

- ``GCNLayer``               H -> A_hat H W + b, the weights W of shape (F_in, F_out) as in the equation
- ``GCN``                    two layers with a nonlinearity and dropout between; ``embed`` gives the hidden layer
- ``train_node_classifier``  the loop above, returning the history
- ``node_accuracy``          the fraction of the masked nodes whose predicted class is right
"""
from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from .._loop import TrainingLog
from .._validation import check_choice, check_instance, check_int, check_real, check_tensor

__all__ = ["GCNLayer", "GCN", "train_node_classifier", "node_accuracy"]


def _propagation(A_hat, function: str) -> torch.Tensor:
    """A_hat as a float32 (N, N) tensor."""
    A_hat = check_tensor(A_hat, "A_hat", function, ndim=2, allowed="a square propagation matrix of shape (N, N)")
    if A_hat.shape[0] != A_hat.shape[1]:
        raise ValueError(f"{function} expects A_hat to be a square propagation matrix of shape (N, N); "
                         f"got shape {tuple(A_hat.shape)}.")
    return A_hat


class GCNLayer(nn.Module):
    """One graph convolution, H' = A_hat H W + b (the nonlinearity is left to the caller).

    in_features F_in, out_features F_out. ``weight`` has shape (F_in, F_out), so it is the W
    of the equation (not transposed as in ``nn.Linear``), initialised as Glorot & Bengio
    (2010), as in Kipf & Welling (2017); ``bias`` (F_out,) starts at 0, or is None.
    ``forward(A_hat, H)`` maps (N, N), (N, F_in) -> (N, F_out).
    """

    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        self.in_features = check_int(in_features, "in_features", "GCNLayer", minimum=1)
        self.out_features = check_int(out_features, "out_features", "GCNLayer", minimum=1)
        limit = math.sqrt(6.0 / (self.in_features + self.out_features))  # Glorot uniform
        self.weight = nn.Parameter(torch.empty(self.in_features, self.out_features).uniform_(-limit, limit))
        self.bias = nn.Parameter(torch.zeros(self.out_features)) if bias else None

    def forward(self, A_hat, H):
        if H.ndim != 2 or H.shape[1] != self.in_features or A_hat.shape != (len(H), len(H)):
            raise ValueError(f"GCNLayer expects A_hat (N, N) and H (N, {self.in_features}); "
                             f"got shapes {tuple(A_hat.shape)} and {tuple(H.shape)}.")
        out = A_hat @ (H @ self.weight)                  # A_hat H W: (N, F_out); H W first is cheaper
        return out if self.bias is None else out + self.bias


class GCN(nn.Module):
    """Two GCN layers: Z = A_hat sigma(A_hat X W0) W1 (Kipf & Welling 2017).

    in_features: features per node; hidden: width of the hidden layer (2 lets it be drawn);
    num_classes C; activation: "relu" or "tanh"; dropout: the probability of zeroing a
    feature before each layer while training. ``forward(A_hat, X)`` maps (N, N), (N, F)
    -> logits (N, C); ``embed(A_hat, X)`` returns the hidden layer sigma(A_hat X W0), (N, hidden).
    """

    def __init__(self, in_features, hidden, num_classes, activation="relu", dropout=0.5):
        super().__init__()
        hidden = check_int(hidden, "hidden", "GCN", minimum=1)
        num_classes = check_int(num_classes, "num_classes", "GCN", minimum=2)
        self.activation = check_choice(activation, "activation", "GCN", ("relu", "tanh"))
        dropout = check_real(dropout, "dropout", "GCN", minimum=0, maximum=1, open_maximum=True)
        self.layer1 = GCNLayer(in_features, hidden)
        self.layer2 = GCNLayer(hidden, num_classes)
        self.dropout = nn.Dropout(dropout)

    def embed(self, A_hat, X):
        """The hidden layer, sigma(A_hat X W0): one point per node, (N, hidden)."""
        h = self.layer1(A_hat, self.dropout(X))
        return torch.relu(h) if self.activation == "relu" else torch.tanh(h)

    def forward(self, A_hat, X):
        return self.layer2(A_hat, self.dropout(self.embed(A_hat, X)))  # logits (N, C)


@torch.no_grad()
def node_accuracy(model, A_hat, X, y, mask) -> float:
    """The fraction of the nodes in ``mask`` whose largest logit is their label (model in eval mode).

    A_hat: (N, N); X: (N, F); y: (N,) integer labels; mask: (N,) booleans. Returns a float in [0, 1].
    """
    A_hat, X, y, mask = _node_data(model, A_hat, X, y, mask, "node_accuracy")
    was_training = model.training
    model.eval()
    predicted = model(A_hat, X).argmax(dim=1)
    model.train(was_training)
    return (predicted[mask] == y[mask]).float().mean().item()


def _node_data(model, A_hat, X, y, mask, function):
    """The checked inputs of a node classifier, as tensors: A_hat, X float32, y int64, mask bool."""
    check_instance(model, "model", function, nn.Module, "a torch.nn.Module such as GCN(...)")
    A_hat = _propagation(A_hat, function)
    X = check_tensor(X, "X", function, ndim=2, allowed="node features of shape (N, F)")
    y = torch.as_tensor(np.asarray(y)) if not isinstance(y, torch.Tensor) else y
    mask = torch.as_tensor(np.asarray(mask)) if not isinstance(mask, torch.Tensor) else mask
    if mask.dtype != torch.bool:
        raise TypeError(f"{function} expects mask to be an array of booleans, one per node; got dtype {mask.dtype}.")
    if y.dtype.is_floating_point or y.dtype == torch.bool:
        raise TypeError(f"{function} expects y to be integer class labels, one per node; got dtype {y.dtype}.")
    n = len(A_hat)
    if len(X) != n or y.shape != (n,) or mask.shape != (n,):
        raise ValueError(f"{function} expects X (N, F), y (N,) and mask (N,) for the N = {n} nodes of A_hat; "
                         f"got shapes {tuple(X.shape)}, {tuple(y.shape)} and {tuple(mask.shape)}.")
    if not mask.any():
        raise ValueError(f"{function} expects mask to select at least one node; it selects none.")
    return A_hat, X, y.long(), mask


def train_node_classifier(model, A_hat, X, y, train_mask, *, epochs=200, lr=0.01, weight_decay=5e-4,
                          test_mask=None, callback=None, live=None):
    """Semi-supervised node classification, full batch (steps N1-N4 of the module docstring).

    model: e.g. ``GCN``, called as model(A_hat, X) -> logits (N, C); A_hat: (N, N); X: (N, F);
    y: (N,) integer labels (only those of ``train_mask`` are used for the loss); train_mask:
    (N,) booleans, the labelled nodes; test_mask: (N,) booleans, the nodes to score
    (default: all unlabelled nodes). Adam with learning rate ``lr`` and L2 ``weight_decay``.
    callback: called as callback(epoch, model) after every epoch (e.g. to keep snapshots of
    the embeddings), epoch counting from 1. live: draw the curves while training (None: in Jupyter).
    Returns the history: lists "loss", "train_accuracy", "test_accuracy", one entry per epoch.
    """
    A_hat, X, y, train_mask = _node_data(model, A_hat, X, y, train_mask, "train_node_classifier")
    test_mask = ~train_mask if test_mask is None else _node_data(model, A_hat, X, y, test_mask,
                                                                 "train_node_classifier")[3]
    epochs = check_int(epochs, "epochs", "train_node_classifier", minimum=1)
    lr = check_real(lr, "lr", "train_node_classifier", minimum=0, open_minimum=True)
    weight_decay = check_real(weight_decay, "weight_decay", "train_node_classifier", minimum=0)
    if callback is not None and not callable(callback):
        raise TypeError(f"train_node_classifier expects callback to be a function (epoch, model) or None; "
                        f"got {type(callback).__name__}.")
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    panels = {"loss on the labelled nodes": ["loss"], "accuracy": ["train_accuracy", "test_accuracy"]}
    with TrainingLog(["loss", "train_accuracy", "test_accuracy"], panels, live=live) as log:
        for epoch in range(1, epochs + 1):
            model.train()
            logits = model(A_hat, X)                                                  # N1: (N, C)
            loss = nn.functional.cross_entropy(logits[train_mask], y[train_mask])     # N2: labelled nodes only
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()                                                          # N3
            log.record(epoch, loss=loss,                                              # N4
                       train_accuracy=node_accuracy(model, A_hat, X, y, train_mask),
                       test_accuracy=node_accuracy(model, A_hat, X, y, test_mask))
            if callback is not None:
                callback(epoch, model)
    return log.history
