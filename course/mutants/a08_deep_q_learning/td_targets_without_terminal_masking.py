"""Forgets the factor (1 - done): the target of a transition that ended the episode still adds gamma max Q(s')."""
FUNCTION = "td_targets"
EDITS = [
    ("    best_next = next_q_values.max(dim=1).values  # max_a' Q(s', a'; theta^-), (B,)\n"
     "    return (rewards + gamma * (1.0 - dones) * best_next).detach()",
     "    return (rewards + gamma * next_q_values.max(dim=1).values).detach()"),
]
