import os
import random
import subprocess
import sys

import numpy as np
import pytest
import torch

import dlcourse


def _draw():
    return random.random(), np.random.rand(3).tolist(), torch.rand(3).tolist()


def test_seed_everything_makes_python_numpy_and_torch_repeat():
    dlcourse.seed_everything(7)
    first = _draw()
    dlcourse.seed_everything(7)
    assert _draw() == first


def test_seed_everything_different_seeds_give_different_draws():
    dlcourse.seed_everything(1)
    first = _draw()
    dlcourse.seed_everything(2)
    second = _draw()
    assert all(a != b for a, b in zip(first, second))


def test_seed_everything_seeds_keras_weight_initialisation():
    import keras

    def fresh_weights():
        dlcourse.seed_everything(3)
        layer = keras.layers.Dense(4)
        layer.build((None, 5))
        return layer.kernel.value.detach().numpy().copy()

    np.testing.assert_array_equal(fresh_weights(), fresh_weights())


@pytest.mark.parametrize("bad", [-1, 1.5, "0", None, True])
def test_seed_everything_rejects_non_integer_or_negative_seeds(bad):
    with pytest.raises(ValueError, match="non-negative integer seed"):
        dlcourse.seed_everything(bad)


def _fresh_python(code, **env):
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **env}, check=True
    )
    return result.stdout.strip()


def test_import_dlcourse_does_not_import_torch_keras_or_matplotlib():
    heavy = ["torch", "keras", "matplotlib", "sklearn", "tensorflow"]
    code = f"import sys, dlcourse; print([m for m in {heavy!r} if m in sys.modules])"
    assert _fresh_python(code) == "[]"


def test_import_dlcourse_defaults_keras_backend_to_torch_but_respects_a_choice():
    env = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    code = "import os, dlcourse; print(os.environ['KERAS_BACKEND'])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == "torch"
    assert _fresh_python(code, KERAS_BACKEND="jax") == "jax"


def test_submodules_load_on_first_use_and_unknown_names_are_explained():
    assert dlcourse.datasets.__name__ == "dlcourse.datasets"
    with pytest.raises(AttributeError, match="public names: seed_everything"):
        dlcourse.no_such_helper  # noqa: B018


def test_everything_in_all_is_reachable():
    for name in dlcourse.__all__:
        assert getattr(dlcourse, name) is not None


def test_device_is_cpu_here_and_can_be_overridden(monkeypatch):
    monkeypatch.delenv("DLCOURSE_DEVICE", raising=False)
    assert dlcourse.device() == ("cuda" if torch.cuda.is_available() else "cpu")
    monkeypatch.setenv("DLCOURSE_DEVICE", "cpu")
    assert dlcourse.device() == "cpu"


def test_progress_bars_can_be_silenced_library_wide(capsys):
    dlcourse.set_progress(False)
    try:
        assert list(dlcourse.progress(range(3), desc="quiet")) == [0, 1, 2]
        assert capsys.readouterr().err == ""
    finally:
        dlcourse.set_progress(True)
    list(dlcourse.progress(range(3), desc="loud"))
    assert "loud" in capsys.readouterr().err
