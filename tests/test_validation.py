"""The one rule for argument checks (dlcourse/_validation.py): a wrong type is a TypeError, a
wrong value a ValueError, and both say in one sentence what was expected and what came."""
import numpy as np
import pytest
import torch

from dlcourse._validation import (check_array, check_choice, check_flag, check_instance, check_int, check_real,
                                  check_tensor, check_widths, shown)


def test_check_int_returns_a_plain_int_for_numpy_integers():
    value = check_int(np.int64(3), "epochs", "fit", minimum=1)
    assert value == 3 and type(value) is int


@pytest.mark.parametrize("value", ["3", 3.0, True, None, [3]])
def test_check_int_refuses_a_non_integer_with_a_type_error(value):
    with pytest.raises(TypeError, match=r"^fit expects epochs to be a positive integer; got .+\.$"):
        check_int(value, "epochs", "fit", minimum=1)


@pytest.mark.parametrize("value, minimum, maximum, words", [
    (0, 1, None, "a positive integer"), (-1, 0, None, "a non-negative integer"),
    (1, 2, None, "an integer >= 2"), (11, 1, 10, r"an integer in \[1, 10\]")])
def test_check_int_refuses_a_value_out_of_range_with_a_value_error_naming_the_range(value, minimum, maximum, words):
    with pytest.raises(ValueError, match=rf"^f expects n to be {words}; got {value}\.$"):
        check_int(value, "n", "f", minimum=minimum, maximum=maximum)


def test_check_real_takes_zero_dimensional_numpy_and_torch_numbers():
    assert check_real(np.float32(0.5), "p", "dropout") == 0.5
    assert check_real(torch.tensor(0.25), "lr", "fit") == 0.25
    assert type(check_real(2, "lr", "fit")) is float


@pytest.mark.parametrize("value", ["0.1", None, False, np.zeros(2)])
def test_check_real_refuses_a_non_number_with_a_type_error(value):
    with pytest.raises(TypeError, match="^fit expects lr to be a positive number; got"):
        check_real(value, "lr", "fit", minimum=0, open_minimum=True)


@pytest.mark.parametrize("value", [0.0, -1.0, float("nan"), float("inf")])
def test_check_real_refuses_a_bad_or_non_finite_value_with_a_value_error(value):
    with pytest.raises(ValueError, match="^fit expects lr to be a positive number; got"):
        check_real(value, "lr", "fit", minimum=0, open_minimum=True)


def test_check_real_says_which_ends_of_an_interval_are_open():
    with pytest.raises(ValueError, match=r"in \[0, 1\); got 1\.$"):
        check_real(1, "p", "dropout", minimum=0, maximum=1, open_maximum=True)
    assert check_real(0, "p", "dropout", minimum=0, maximum=1, open_maximum=True) == 0.0


def test_check_real_uses_the_callers_words_when_given():
    with pytest.raises(ValueError, match="^fit expects lr to be a positive learning rate such as 1e-3; got -1.$"):
        check_real(-1, "lr", "fit", minimum=0, open_minimum=True, allowed="a positive learning rate such as 1e-3")


def test_check_choice_lists_the_choices():
    assert check_choice("adam", "optimizer", "fit", ("adam", "sgd")) == "adam"
    with pytest.raises(ValueError, match=r"^fit expects optimizer to be one of 'adam', 'sgd'; got 'Adam'\.$"):
        check_choice("Adam", "optimizer", "fit", ("adam", "sgd"))
    with pytest.raises(ValueError, match="one of"):
        check_choice(["adam"], "optimizer", "fit", {"adam": 1})  # unhashable: still one sentence


def test_check_flag_accepts_numpy_bools_and_refuses_numbers():
    assert check_flag(np.bool_(True), "double", "train_dqn") is True
    with pytest.raises(TypeError, match="^train_dqn expects double to be True or False; got 1.$"):
        check_flag(1, "double", "train_dqn")


def test_check_instance_names_the_type_that_came():
    with pytest.raises(TypeError, match="^fit expects model to be a torch.nn.Module; got list.$"):
        check_instance([], "model", "fit", torch.nn.Module, "a torch.nn.Module")


def test_check_array_converts_and_checks_the_shape():
    assert check_array([[1, 2]], "X", "f", shape=(None, 2)).dtype == np.float64
    with pytest.raises(ValueError, match=r"^f expects X to be an array of shape \('N', 2\); got shape \(3,\)\.$"):
        check_array([1, 2, 3], "X", "f", shape=(None, 2))
    with pytest.raises(ValueError, match="^f expects X to be of shape"):
        check_array([1, 2, 3], "X", "f", ndim=2, allowed="of shape (N, d), one example per row")
    with pytest.raises(TypeError, match="^f expects X to be a NumPy array of numbers; got str.$"):
        check_array("abc", "X", "f")
    with pytest.raises(ValueError, match="NaN or infinity"):
        check_array([1.0, np.nan], "X", "f", finite=True)


def test_check_tensor_gives_a_detached_float32_tensor_and_wants_examples_in_rows():
    source = torch.ones(3, 2, dtype=torch.float64, requires_grad=True)
    tensor = check_tensor(source, "X", "train_gan", examples=True)
    assert tensor.dtype == torch.float32 and not tensor.requires_grad
    assert check_tensor(np.zeros((2, 2)), "X", "f").shape == (2, 2)
    with pytest.raises(ValueError, match=r"^train_gan expects X of shape \(N, \.\.\.\) with N >= 1"):
        check_tensor(np.zeros(5), "X", "train_gan", examples=True)
    with pytest.raises(TypeError, match="tensor of numbers; got dict"):
        check_tensor({}, "X", "f")


def test_check_widths_reads_one_int_as_one_layer_and_refuses_bad_entries():
    assert check_widths(8, "hidden", "Generator") == (8,)
    assert check_widths([4, 5], "hidden", "Generator") == (4, 5)
    with pytest.raises(TypeError, match=r"^Generator expects hidden to be a tuple of layer widths such as \(64, 64\)"):
        check_widths("64", "hidden", "Generator")
    with pytest.raises(ValueError, match="^Generator expects each entry of hidden to be a positive integer; got 0.$"):
        check_widths((4, 0), "hidden", "Generator")


def test_messages_show_long_values_briefly():
    assert shown("x" * 500).count("x") < 70
    assert shown(np.zeros((100, 100))) == "ndarray of shape (100, 100)"
