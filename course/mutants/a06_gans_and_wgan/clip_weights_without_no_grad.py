"""Clamps in place outside torch.no_grad(), which autograd refuses for leaves that require grad."""


def clip_weights(module, c):
    """Clamp the parameters into [-c, c]."""
    for parameter in module.parameters():
        parameter.clamp_(-c, c)
