"""Hands the target network the online network's tensors (p_target.data = p_online.data), so the frozen copy moves with every update."""


def sync_target(online, target):
    """Copy online's parameters into target."""
    for p_online, p_target in zip(online.parameters(), target.parameters()):
        p_target.data = p_online.data
