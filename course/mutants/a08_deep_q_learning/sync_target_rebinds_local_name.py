"""Writes target = copy.deepcopy(online), which rebinds only the function's local name and leaves the caller's network unchanged."""
import copy


def sync_target(online, target):
    """Copy online's parameters into target."""
    target = copy.deepcopy(online)  # noqa: F841 - the mistake: the caller never sees this copy
