"""Averages the next state's Q values over the actions instead of taking their max (the SARSA-like expected value of a random policy)."""


def td_targets(rewards, next_q_values, dones, gamma):
    """TD targets for a mini-batch."""
    return (rewards + gamma * (1 - dones) * next_q_values.mean(dim=1)).detach()
