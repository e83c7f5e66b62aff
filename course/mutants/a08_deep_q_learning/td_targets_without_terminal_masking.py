"""Forgets the factor (1 - done): the target of a transition that ended the episode still adds gamma max Q(s')."""


def td_targets(rewards, next_q_values, dones, gamma):
    """TD targets for a mini-batch."""
    return (rewards + gamma * next_q_values.max(dim=1).values).detach()
