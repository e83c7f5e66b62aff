"""Averages the next state's Q values over the actions instead of taking their max (the SARSA-like expected value of a random policy)."""
FUNCTION = "td_targets"
EDITS = [
    ("    best_next = next_q_values.max(dim=1).values  # max_a' Q(s', a'; theta^-), (B,)\n"
     "    return (rewards + gamma * (1.0 - dones) * best_next).detach()",
     "    return (rewards + gamma * (1 - dones) * next_q_values.mean(dim=1)).detach()"),
]
