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


@pytest.mark.parametrize("bad", [1.5, "0", None, True])
def test_seed_everything_refuses_a_non_integer_seed_with_a_type_error(bad):
    with pytest.raises(TypeError, match=r"^seed_everything expects seed to be a non-negative integer such as 0; got"):
        dlcourse.seed_everything(bad)


def test_seed_everything_refuses_a_negative_seed_with_a_value_error():
    with pytest.raises(ValueError, match=r"^seed_everything expects seed to be a non-negative integer such as 0; "
                                         r"got -1\.$"):
        dlcourse.seed_everything(-1)


def test_rng_names_itself_when_it_refuses_a_seed():
    with pytest.raises(TypeError, match=r"^rng expects seed to be a non-negative integer such as 0; got '3'\.$"):
        dlcourse.rng("3")
    with pytest.raises(ValueError, match=r"^torch_generator expects seed to be a non-negative integer such as 0; "
                                         r"got -2\.$"):
        dlcourse.torch_generator(-2)


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


# --- the seed offset of the margin run -------------------------------------------------------

def test_seed_offset_shifts_seed_everything_rng_and_torch_generator_alike(monkeypatch):
    monkeypatch.setenv("DLCOURSE_SEED_OFFSET", "3")
    assert dlcourse.seed_everything(4) == 7
    shifted = _draw()
    assert dlcourse.rng(4).random() == np.random.default_rng(7).random()
    assert torch.equal(torch.rand(3, generator=dlcourse.torch_generator(4)),
                       torch.rand(3, generator=torch.Generator().manual_seed(7)))
    monkeypatch.delenv("DLCOURSE_SEED_OFFSET")
    assert dlcourse.seed_everything(7) == 7
    assert _draw() == shifted


def test_without_an_offset_every_seed_is_used_as_written(monkeypatch):
    monkeypatch.delenv("DLCOURSE_SEED_OFFSET", raising=False)
    assert dlcourse.config.seed_offset() == 0
    assert dlcourse.rng(5).random() == np.random.default_rng(5).random()


def test_the_offset_reaches_the_seeded_helpers_of_the_library(monkeypatch):
    from dlcourse import datasets
    from dlcourse.nn import MLP

    monkeypatch.setenv("DLCOURSE_SEED_OFFSET", "2")
    shifted_spiral, shifted_weights = datasets.spiral(seed=0)[0], MLP([2, 3, 2], seed=0).params[0]
    monkeypatch.setenv("DLCOURSE_SEED_OFFSET", "0")
    assert np.array_equal(shifted_spiral, datasets.spiral(seed=2)[0])
    assert np.array_equal(shifted_weights, MLP([2, 3, 2], seed=2).params[0])
    assert not np.array_equal(shifted_spiral, datasets.spiral(seed=0)[0])


def test_the_mnist_split_is_data_and_does_not_move_with_the_offset(monkeypatch):
    from dlcourse import datasets

    monkeypatch.setenv("DLCOURSE_SEED_OFFSET", "4")
    _, y_shifted = datasets.mnist_5k("test")
    monkeypatch.delenv("DLCOURSE_SEED_OFFSET")
    assert np.array_equal(y_shifted, datasets.mnist_5k("test")[1])


@pytest.mark.parametrize("bad", ["x", "-1", "1.5"])
def test_a_malformed_offset_is_explained_in_one_sentence(monkeypatch, bad):
    monkeypatch.setenv("DLCOURSE_SEED_OFFSET", bad)
    with pytest.raises(ValueError, match=r"DLCOURSE_SEED_OFFSET must be a non-negative integer such as 3; got"):
        dlcourse.rng(0)
