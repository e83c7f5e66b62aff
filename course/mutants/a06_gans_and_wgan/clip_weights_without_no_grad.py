"""Clamps in place outside torch.no_grad(), which autograd refuses for leaves that require grad."""
FUNCTION = "clip_weights"
EDITS = [
    ("    with torch.no_grad():  # autograd forbids in-place changes of leaves that require grad\n"
     "        for parameter in module.parameters():\n"
     "            parameter.clamp_(-c, c)",
     "    for parameter in module.parameters():\n"
     "        parameter.clamp_(-c, c)"),
]
