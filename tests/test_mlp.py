"""Behaviour of dlcourse.nn.mlp: parameter counts, the forward pass and BP1-BP4 against torch."""
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcourse.checks import check_gradient
from dlcourse.nn import MLP, count_parameters

TORCH_ACTIVATIONS = {
    "identity": torch.nn.Identity, "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh,
    "hard_tanh": torch.nn.Hardtanh, "relu": torch.nn.ReLU, "leaky_relu": torch.nn.LeakyReLU,
    "softplus": torch.nn.Softplus,
}


class Gaussian(torch.nn.Module):
    def forward(self, z):
        return torch.exp(-z**2)


TORCH_ACTIVATIONS["gaussian"] = Gaussian


def torch_copy(mlp):
    """A float64 torch.nn.Sequential with the same layers and the same weights as ``mlp``."""
    layers = []
    for n_in, n_out in zip(mlp.widths[:-1], mlp.widths[1:]):
        layers += [torch.nn.Linear(n_in, n_out), TORCH_ACTIVATIONS[mlp.activation]()]
    net = torch.nn.Sequential(*layers[:-1]).double()  # the output unit is applied by the test
    for p, value in zip(net.parameters(), mlp.params, strict=True):
        with torch.no_grad():
            p.copy_(torch.from_numpy(value))
    return net


def torch_loss(output, logits, target):
    target = torch.from_numpy(target)
    if output == "softmax":
        return F.cross_entropy(logits, target)
    if output == "sigmoid":
        return F.binary_cross_entropy(torch.sigmoid(logits), target.reshape(logits.shape))
    prediction = torch.relu(logits) if output == "relu" else logits
    return F.mse_loss(prediction, target.reshape(logits.shape))


def targets(output, N, n_out, rng):
    if output == "softmax":
        return rng.integers(0, n_out, size=N)
    if output == "sigmoid":
        return rng.integers(0, 2, size=(N, n_out)).astype(np.float64)
    return rng.normal(size=(N, n_out))


# ------------------------------------------------------------------ counting
@pytest.mark.parametrize("widths, expected", [
    ([2, 1, 1], 5), ([2, 3, 2], 17), ([3, 4, 4, 4, 3], 71), ([5] + [10] * 10 + [5], 1105),
])
def test_count_parameters_reproduces_the_deck_tables(widths, expected):
    assert count_parameters(widths) == expected
    assert count_parameters(widths) == sum(p.numel() for p in torch_copy(MLP(widths, output="identity")).parameters())


@pytest.mark.parametrize("widths, error, message", [
    ([3], ValueError, r"widths to be a tuple of layer widths such as \[2, 3, 2\] \(input size, then each layer's "
                      r"width\), at least 2 long; got \[3\]\.$"),
    ([], ValueError, r"widths to be .*, at least 2 long; got \[\]\.$"),
    ([2, 0, 1], ValueError, r"each entry of widths to be a positive integer; got 0\.$"),
    ([2, 1.5], TypeError, r"each entry of widths to be a positive integer; got 1\.5\.$"),
    ([2, True], TypeError, r"each entry of widths to be a positive integer; got True\.$"),
    ("23", TypeError, r"widths to be a tuple of layer widths such as \[2, 3, 2\].*; got '23'\.$"),
    (None, TypeError, r"widths to be .*; got None\.$"),
])
def test_count_parameters_refuses_a_wrong_type_with_a_type_error_and_a_bad_width_with_a_value_error(
        widths, error, message):
    with pytest.raises(error, match=r"^count_parameters expects " + message):
        count_parameters(widths)


def test_mlp_refuses_a_string_seed_with_a_type_error_and_non_numeric_x_too():
    with pytest.raises(TypeError, match=r"^MLP expects seed to be an integer; got '0'\.$"):
        MLP([2, 3, 2], seed="0")
    with pytest.raises(TypeError, match=r"^MLP expects X to be a NumPy array of numbers; got str\.$"):
        MLP([2, 3, 2]).forward("xy")


# ------------------------------------------------------------------ construction
def test_params_have_the_order_and_shapes_of_torch_sequential():
    mlp = MLP([4, 6, 5, 3])
    net = torch_copy(mlp)
    assert [p.shape for p in mlp.params] == [tuple(p.shape) for p in net.parameters()]
    assert [p.shape for p in mlp.params] == [(6, 4), (6,), (5, 6), (5,), (3, 5), (3,)]
    assert [g.shape for g in mlp.grads] == [p.shape for p in mlp.params]


def test_initialisation_is_deterministic_per_seed_and_scaled_like_he_or_glorot():
    assert all(np.array_equal(a, b) for a, b in zip(MLP([3, 4, 2], seed=7).params, MLP([3, 4, 2], seed=7).params))
    assert not np.array_equal(MLP([3, 4, 2], seed=7).params[0], MLP([3, 4, 2], seed=8).params[0])
    he = MLP([400, 300, 2], activation="relu").params[0]
    glorot = MLP([400, 300, 2], activation="tanh").params[0]
    assert he.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert glorot.std() == pytest.approx(np.sqrt(2 / 700), rel=0.02)
    assert np.all(MLP([3, 4, 2]).params[1] == 0)


def test_repr_shows_widths_activations_and_parameter_count():
    assert repr(MLP([2, 3, 2])) == "MLP(widths=[2, 3, 2], activation='relu', output='softmax', parameters=17)"


# ------------------------------------------------------------------ against torch
@pytest.mark.parametrize("activation", sorted(TORCH_ACTIVATIONS))
def test_forward_matches_torch_for_every_hidden_activation(activation):
    rng = np.random.default_rng(0)
    mlp = MLP([3, 5, 4, 2], activation=activation, output="identity", seed=1)
    X = rng.normal(size=(6, 3))
    expected = torch_copy(mlp)(torch.from_numpy(X)).detach().numpy()
    np.testing.assert_allclose(mlp.forward(X), expected, atol=1e-12)
    assert len(mlp.z) == 3 and len(mlp.a) == 4 and mlp.a[0] is not None


@pytest.mark.parametrize("output", ["softmax", "sigmoid", "identity", "relu"])
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "leaky_relu", "gaussian"])
def test_loss_and_gradients_match_torch_for_each_output_unit(output, activation):
    rng = np.random.default_rng(1)
    mlp = MLP([3, 6, 5, 4], activation=activation, output=output, seed=2)
    X, y = rng.normal(size=(9, 3)), targets(output, 9, 4, rng)
    net = torch_copy(mlp)
    expected_loss = torch_loss(output, net(torch.from_numpy(X)), y)
    expected_loss.backward()

    assert mlp.loss(X, y) == pytest.approx(expected_loss.item(), abs=1e-12)
    grads = mlp.backward(y)
    assert grads is mlp.grads
    for got, p in zip(grads, net.parameters(), strict=True):
        np.testing.assert_allclose(got, p.grad.numpy(), atol=1e-10)


def test_backward_with_grad_output_matches_torch_for_any_loss():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(5, 3))
    weights = rng.normal(size=(5, 3))
    for output in ["softmax", "sigmoid", "identity", "relu"]:
        mlp = MLP([3, 4, 3], activation="tanh", output=output, seed=3)
        net = torch_copy(mlp)
        logits = net(torch.from_numpy(X))
        a_L = {"softmax": torch.softmax(logits, 1), "sigmoid": torch.sigmoid(logits),
               "identity": logits, "relu": torch.relu(logits)}[output]
        (torch.from_numpy(weights) * a_L**3).sum().backward()  # L = sum w * a^3, so dL/da = 3 w a^2
        a = mlp.forward(X)
        grads = mlp.backward(grad_output=3 * weights * a**2)
        for got, p in zip(grads, net.parameters(), strict=True):
            np.testing.assert_allclose(got, p.grad.numpy(), atol=1e-10, err_msg=output)


def test_sigmoid_output_takes_one_dimensional_targets_for_a_single_unit():
    rng = np.random.default_rng(3)
    mlp = MLP([2, 4, 1], output="sigmoid")
    X, y = rng.normal(size=(8, 2)), rng.integers(0, 2, size=8)
    loss_1d = mlp.loss(X, y)
    grads_1d = [g.copy() for g in mlp.backward(y)]
    assert mlp.loss(X, y.reshape(8, 1)) == loss_1d
    assert all(np.array_equal(a, b) for a, b in zip(grads_1d, mlp.backward(y.reshape(8, 1))))
    assert mlp.predict(X).shape == (8,)


def test_gradients_pass_a_finite_difference_check():
    rng = np.random.default_rng(4)
    mlp = MLP([3, 5, 3], activation="tanh", output="softmax", seed=5)
    X, y = rng.normal(size=(7, 3)), rng.integers(0, 3, size=7)
    mlp.loss(X, y)
    grads = [g.copy() for g in mlp.backward(y)]
    for p, g in zip(mlp.params, grads):
        check_gradient(lambda _: mlp.loss(X, y), p, g)


def test_cross_entropy_and_binary_cross_entropy_are_stable_for_huge_logits():
    X = np.array([[1.0, -1.0], [-2.0, 3.0]])
    for output, y in [("softmax", np.array([0, 1])), ("sigmoid", np.array([1.0, 0.0]))]:
        mlp = MLP([2, 3, 2 if output == "softmax" else 1], output=output, seed=0)
        mlp.params[2] *= 1e4  # logits of order 1e4: e^z would overflow
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            loss = mlp.loss(X, y)
            grads = mlp.backward(y)
        net = torch_copy(mlp)
        expected = F.cross_entropy(net(torch.from_numpy(X)), torch.from_numpy(y)) if output == "softmax" \
            else F.binary_cross_entropy_with_logits(net(torch.from_numpy(X))[:, 0], torch.from_numpy(y))
        assert np.isfinite(loss) and loss == pytest.approx(expected.item(), rel=1e-9)
        assert all(np.all(np.isfinite(g)) for g in grads)


def test_backward_fills_the_same_grad_arrays_so_optimisers_can_keep_them():
    rng = np.random.default_rng(5)
    mlp = MLP([2, 3, 2])
    ids = [id(g) for g in mlp.grads]
    mlp.loss(rng.normal(size=(4, 2)), np.array([0, 1, 1, 0]))
    mlp.backward(np.array([0, 1, 1, 0]))
    assert [id(g) for g in mlp.grads] == ids


def test_predict_returns_classes_labels_or_values_by_output_unit():
    X = np.random.default_rng(6).normal(size=(5, 2))
    softmax = MLP([2, 4, 3])
    np.testing.assert_array_equal(softmax.predict(X), softmax.forward(X).argmax(axis=1))
    sigmoid = MLP([2, 4, 2], output="sigmoid")
    np.testing.assert_array_equal(sigmoid.predict(X), (sigmoid.forward(X) >= 0.5).astype(int))
    identity = MLP([2, 4, 2], output="identity")
    np.testing.assert_array_equal(identity.predict(X), identity.forward(X))


# ------------------------------------------------------------------ errors
def test_wrong_input_shape_is_named_with_the_expected_shape():
    with pytest.raises(ValueError, match=r"^MLP expects X of shape \(N, 2\); got shape \(2,\)\.$"):
        MLP([2, 3, 2]).forward(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match=r"got shape \(4, 3\)"):
        MLP([2, 3, 2]).loss(np.zeros((4, 3)), np.zeros(4, dtype=int))
    with pytest.raises(ValueError, match=r"at least one example in X; got shape \(0, 2\)"):
        MLP([2, 3, 2]).forward(np.zeros((0, 2)))


def test_unknown_activation_or_output_lists_the_valid_names():
    with pytest.raises(ValueError, match=r"activation to be one of 'identity', 'sigmoid', 'tanh', 'hard_tanh', "
                                         r"'relu', 'leaky_relu', 'softplus', 'gaussian'; got 'swish'"):
        MLP([2, 3, 2], activation="swish")
    with pytest.raises(ValueError, match=r"output to be one of 'identity', 'relu', 'sigmoid', 'softmax'; got 'tanh'"):
        MLP([2, 3, 2], output="tanh")
    with pytest.raises(ValueError, match=r"softmax.*at least 2 output units"):
        MLP([2, 3, 1], output="softmax")


def test_backward_before_forward_and_ambiguous_backward_calls_are_refused():
    mlp = MLP([2, 3, 2])
    with pytest.raises(RuntimeError, match=r"backward needs a forward pass first"):
        mlp.backward(np.array([0]))
    mlp.forward(np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"exactly one of them; got neither"):
        mlp.backward()
    with pytest.raises(ValueError, match=r"exactly one of them; got both"):
        mlp.backward(np.array([0, 1]), grad_output=np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"grad_output of the output's shape \(2, 2\); got shape \(2,\)"):
        mlp.backward(grad_output=np.zeros(2))


def test_labels_out_of_range_or_of_the_wrong_shape_are_refused():
    mlp = MLP([2, 3, 3])
    X = np.zeros((2, 2))
    with pytest.raises(ValueError, match=r"class labels y in 0\.\.2 for 3 output units; got values from 0 to 3"):
        mlp.loss(X, np.array([0, 3]))
    with pytest.raises(ValueError, match=r"y of shape \(2,\) with one class index per example"):
        mlp.loss(X, np.eye(3)[[0, 1]])
    with pytest.raises(ValueError, match=r"targets y in \[0, 1\] for output='sigmoid'"):
        MLP([2, 3, 1], output="sigmoid").loss(X, np.array([0.0, 2.0]))
