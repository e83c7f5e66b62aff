"""Puts new nn.Parameter objects into the layers, so the optimiser keeps training the old, unclipped ones."""
FUNCTION = "clip_weights"
EDITS = [
    ("    with torch.no_grad():  # autograd forbids in-place changes of leaves that require grad\n"
     "        for parameter in module.parameters():\n"
     "            parameter.clamp_(-c, c)",
     "    for layer in module.modules():\n"
     "        for name, parameter in list(layer.named_parameters(recurse=False)):\n"
     "            setattr(layer, name, nn.Parameter(parameter.detach().clamp(-c, c)))"),
]
