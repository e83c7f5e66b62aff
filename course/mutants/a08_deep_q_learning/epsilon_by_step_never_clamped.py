"""Lets epsilon go on falling after decay_steps (no min(1, t / T)), so it sinks below `end` and turns negative."""


def epsilon_by_step(step, start, end, decay_steps):
    """The exploration rate at `step`."""
    return start + (step / decay_steps) * (end - start)
