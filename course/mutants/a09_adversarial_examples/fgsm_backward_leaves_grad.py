"""Uses loss.backward() and x_.grad, which also fills every weight's .grad."""
FUNCTION = "fgsm"
EDITS = [
    ("    (gradient,) = torch.autograd.grad(F.cross_entropy(model(x_), y), x_)  # w.r.t. the input only",
     "    F.cross_entropy(model(x_), y).backward()\n"
     "    gradient = x_.grad"),
]
