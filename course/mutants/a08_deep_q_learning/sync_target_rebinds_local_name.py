"""Writes target = copy.deepcopy(online), which rebinds only the function's local name and leaves the caller's network unchanged."""
FUNCTION = "sync_target"
EDITS = [
    ("    with torch.no_grad():\n"
     "        for p_online, p_target in zip(online.parameters(), target.parameters()):\n"
     "            p_target.copy_(p_online)  # copy the values into target's own tensor",
     "    target = copy.deepcopy(online)  # noqa: F841 - the mistake: the caller never sees this copy"),
]
