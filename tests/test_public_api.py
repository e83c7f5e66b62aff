"""Every name a package lists in __all__ resolves, so the documented API is the real one."""
import importlib

import pytest

PACKAGES = ["dlcourse", "dlcourse.nn", "dlcourse.models", "dlcourse.widgets", "dlcourse.datasets",
            "dlcourse.plotting", "dlcourse.checks", "dlcourse.distributed"]


@pytest.mark.parametrize("package", PACKAGES)
def test_every_listed_name_resolves(package):
    module = importlib.import_module(package)
    missing = [name for name in module.__all__ if getattr(module, name, None) is None]
    assert missing == [], f"{package} lists names it does not define: {missing}"


@pytest.mark.parametrize("package", ["dlcourse.models", "dlcourse.widgets"])
def test_unknown_names_are_attribute_errors(package):
    module = importlib.import_module(package)
    with pytest.raises(AttributeError, match="has no attribute 'no_such_thing'"):
        module.no_such_thing  # noqa: B018
