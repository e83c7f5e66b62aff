"""Computes the layer in NumPy and converts back, which cuts the graph autograd needs for training."""
FUNCTION = "gcn_layer"
EDITS = [
    ("    out = A_hat @ (H @ W) + b  # each node: the degree-weighted mean of its neighbourhood's H W, then the bias",
     '    out = torch.as_tensor(A_hat.detach().numpy() @ (H.detach().numpy() @ W.detach().numpy()) + b.detach().numpy())'),
]
