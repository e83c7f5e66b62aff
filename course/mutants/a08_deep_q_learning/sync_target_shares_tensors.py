"""Hands the target network the online network's tensors (p_target.data = p_online.data), so the frozen copy moves with every update."""
FUNCTION = "sync_target"
EDITS = [
    ("    with torch.no_grad():\n"
     "        for p_online, p_target in zip(online.parameters(), target.parameters()):\n"
     "            p_target.copy_(p_online)  # copy the values into target's own tensor",
     "    for p_online, p_target in zip(online.parameters(), target.parameters()):\n"
     "        p_target.data = p_online.data"),
]
