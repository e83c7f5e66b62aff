"""Clips only the layers' weight matrices and leaves the biases (and other parameters) as they were."""
FUNCTION = "clip_weights"
EDITS = [
    ("        for parameter in module.parameters():\n"
     "            parameter.clamp_(-c, c)",
     "        for name, parameter in module.named_parameters():\n"
     '            if name.endswith("weight"):\n'
     "                parameter.clamp_(-c, c)"),
]
