"""dlcourse.models.flows: planar and affine coupling layers (log-determinants against autograd's
Jacobian, inverses), the stacked flow's density and samples, the maximum-likelihood loop, the
Gaussian baseline, and argument errors."""
import math

import numpy as np
import pytest
import torch
from scipy.stats import multivariate_normal
from torch import nn

import dlcourse
from dlcourse import datasets
from dlcourse.models.flows import (
    AffineCoupling,
    Flow,
    PlanarFlow,
    coupling_flow,
    density_on_grid,
    gaussian_nll,
    planar_flow,
    train_flow,
)


@pytest.fixture(autouse=True)
def one_thread():
    """Runs are compared bit for bit; one thread also avoids oversubscribing a busy machine."""
    with dlcourse.config.one_thread():
        yield


def _randomised(module, scale=0.5, seed=0):
    """The module in float64 with every parameter redrawn from N(0, scale^2): far from the identity."""
    generator = torch.Generator().manual_seed(seed)
    module = module.double()
    with torch.no_grad():
        for parameter in module.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=generator, dtype=torch.float64) * scale)
    return module


def _autograd_log_dets(layer, x):
    """log|det J| of the layer at each row of x, from the full Jacobian autograd computes."""
    dets = []
    for row in x:
        jacobian = torch.autograd.functional.jacobian(lambda point: layer(point[None])[0][0], row)  # (n, n)
        dets.append(torch.linalg.slogdet(jacobian)[1])
    return torch.stack(dets)


def _points(n=20, dim=2, seed=1):
    return torch.randn(n, dim, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * 1.5


# ---------------------------------------------------------------------------- log-determinants
@pytest.mark.parametrize("dim", [1, 2, 5])
def test_planar_log_det_equals_the_log_det_of_autograds_jacobian(dim):
    layer = _randomised(PlanarFlow(dim), scale=1.0)
    x = _points(dim=dim)
    _, log_det = layer(x)
    torch.testing.assert_close(log_det, _autograd_log_dets(layer, x), rtol=0, atol=1e-10)


@pytest.mark.parametrize("mask", [[1, 0], [0, 1], [1, 1, 0, 0, 1]])
def test_coupling_log_det_equals_the_log_det_of_autograds_jacobian(mask):
    torch.manual_seed(0)
    layer = _randomised(AffineCoupling(mask, hidden=(16, 16)))
    x = _points(dim=len(mask))
    _, log_det = layer(x)
    assert log_det.abs().max() > 0.1   # the layer really scales
    torch.testing.assert_close(log_det, _autograd_log_dets(layer, x), rtol=0, atol=1e-10)


def test_flow_log_det_is_the_sum_over_its_layers_and_matches_autograd():
    torch.manual_seed(0)
    flow = _randomised(Flow([AffineCoupling([1, 0], (8,)), PlanarFlow(2), AffineCoupling([0, 1], (8,))]), scale=0.4)
    x = _points(n=10)
    _, log_det = flow(x)
    torch.testing.assert_close(log_det, _autograd_log_dets(flow, x), rtol=0, atol=1e-10)


def test_coupling_keeps_the_masked_coordinates_and_scales_the_others_by_exp_s():
    torch.manual_seed(0)
    layer = _randomised(AffineCoupling([1, 0], hidden=(8,)))
    x = _points()
    y, log_det = layer(x)
    torch.testing.assert_close(y[:, 0], x[:, 0], rtol=0, atol=0)
    s, t = layer.scale_and_shift(x * torch.tensor([1.0, 0.0], dtype=torch.float64))
    torch.testing.assert_close(y[:, 1], x[:, 1] * torch.exp(s[:, 1]) + t[:, 1])
    torch.testing.assert_close(log_det, s[:, 1])
    assert s.abs().max() <= 1   # s = tanh(raw)


def test_planar_reparameterisation_keeps_w_dot_u_hat_above_minus_one():
    layer = PlanarFlow(3).double()
    with torch.no_grad():
        layer.w.copy_(torch.tensor([1.0, 2.0, -1.0], dtype=torch.float64))
        layer.u.copy_(-10 * layer.w)    # w^T u = -60: a non-invertible layer without the fix
    assert layer.w @ layer.u_hat() > -1
    _, log_det = layer(_points(dim=3))
    assert torch.isfinite(log_det).all()


# ------------------------------------------------------------------------------------ inverses
@pytest.mark.parametrize("make", [lambda: PlanarFlow(2), lambda: PlanarFlow(4), lambda: AffineCoupling([0, 1], (16,)),
                                  lambda: coupling_flow(4, layers=4, hidden=(8,)), lambda: planar_flow(2, layers=5)])
def test_inverse_of_forward_gives_the_input_back(make):
    torch.manual_seed(0)
    layer = _randomised(make(), scale=0.8)
    x = _points(n=50, dim=layer.dim)
    y = layer(x)[0]
    assert (y - x).abs().max() > 0.1
    torch.testing.assert_close(layer.inverse(y), x, rtol=0, atol=1e-9)


def test_planar_inverse_works_near_the_invertibility_limit():
    layer = PlanarFlow(2).double()
    with torch.no_grad():
        layer.w.copy_(torch.tensor([3.0, 0.0], dtype=torch.float64))
        layer.u.copy_(torch.tensor([-20.0, 0.5], dtype=torch.float64))   # w^T u_hat close to -1
    x = _points(n=200)
    torch.testing.assert_close(layer.inverse(layer(x)[0]), x, rtol=0, atol=1e-6)


# ------------------------------------------------------------------------------- the density
def test_new_coupling_flow_is_the_identity_and_its_density_the_standard_normal():
    flow = coupling_flow(3, layers=4)
    x = torch.randn(30, 3)
    z, log_det = flow(x)
    torch.testing.assert_close(z, x, rtol=0, atol=0)
    assert torch.all(log_det == 0)
    normal = torch.distributions.MultivariateNormal(torch.zeros(3), torch.eye(3))
    torch.testing.assert_close(flow.log_prob(x), normal.log_prob(x))


def test_density_of_an_untrained_flow_integrates_to_one_on_a_grid():
    torch.manual_seed(0)
    flow = _randomised(coupling_flow(2, layers=3, hidden=(8,)), scale=0.4)
    x1, x2, density = density_on_grid(flow, (-9, 9), (-9, 9), resolution=500)
    cell = (x1[0, 1] - x1[0, 0]) * (x2[1, 0] - x2[0, 0])
    assert density.shape == (500, 500)
    assert abs(density.sum() * cell - 1) < 1e-3
    assert density.std() > 0


def test_log_prob_follows_the_change_of_variables_for_a_hand_built_affine_map():
    # one coupling whose net ignores its input: s = tanh(c_s), t = c_t on the second coordinate
    layer = AffineCoupling([1, 0], hidden=(4,)).double()
    with torch.no_grad():
        layer.net[-1].bias.copy_(torch.tensor([0.0, 0.3, 0.0, -1.0], dtype=torch.float64))
    flow = Flow([layer])
    x = _points(n=7)
    a = math.exp(math.tanh(0.3))          # x_2 -> a x_2 - 1
    expected = multivariate_normal([0.0, 1 / a], np.diag([1.0, 1 / a**2])).logpdf(x.numpy())
    np.testing.assert_allclose(flow.log_prob(x).detach().numpy(), expected, rtol=1e-12)


def test_sample_is_repeatable_with_a_generator_and_shaped_n_by_dim():
    torch.manual_seed(0)
    flow = _randomised(coupling_flow(2, layers=2, hidden=(8,)))
    first = flow.sample(40, generator=torch.Generator().manual_seed(5))
    again = flow.sample(40, generator=torch.Generator().manual_seed(5))
    assert first.shape == (40, 2) and first.dtype == torch.float64
    torch.testing.assert_close(first, again, rtol=0, atol=0)
    # the samples are the inverse image of standard normal noise: pushing them forward gives it back
    noise = torch.randn(40, 2, generator=torch.Generator().manual_seed(5), dtype=torch.float64)
    torch.testing.assert_close(flow(first)[0], noise)


def test_forward_path_holds_the_input_every_layers_output_and_ends_at_z():
    torch.manual_seed(0)
    flow = _randomised(coupling_flow(2, layers=3, hidden=(8,)))
    x = _points(n=5)
    path = flow.forward_path(x)
    assert len(path) == 4
    torch.testing.assert_close(path[0], x)
    torch.testing.assert_close(path[1], flow.layers[0](x)[0])
    torch.testing.assert_close(path[-1], flow(x)[0])


# --------------------------------------------------------------------------------- training
def test_train_flow_lowers_the_nll_below_the_gaussian_baseline_and_repeats():
    X = datasets.moons(1000, noise=0.1, seed=0)[0]
    runs = []
    for _ in range(2):
        torch.manual_seed(0)
        flow = coupling_flow(2, layers=4, hidden=(32,))
        history = train_flow(flow, X, steps=300, batch_size=128, lr=3e-3, seed=0, live=False, progress=False)
        runs.append(history["nll"])
    assert runs[0] == runs[1]
    assert len(runs[0]) == 300 and not flow.training
    nll = -flow.log_prob(torch.tensor(X, dtype=torch.float32)).mean().item()
    assert nll < gaussian_nll(X, X) - 0.2


def test_gaussian_nll_equals_scipys_multivariate_normal():
    rng = np.random.default_rng(0)
    X_train, X_test = rng.normal(size=(300, 3)) @ [[1, 0.5, 0], [0, 1, 0.2], [0, 0, 0.3]], rng.normal(size=(50, 3))
    model = multivariate_normal(X_train.mean(axis=0), np.cov(X_train, rowvar=False, bias=True))
    assert gaussian_nll(X_train, X_test) == pytest.approx(-model.logpdf(X_test).mean(), rel=1e-12)


# ---------------------------------------------------------------------------- argument errors
@pytest.mark.parametrize("call, error", [
    (lambda: PlanarFlow(0), ValueError),
    (lambda: PlanarFlow(2.0), TypeError),
    (lambda: PlanarFlow(2).inverse(torch.zeros(3, 2), iterations=0), ValueError),
    (lambda: AffineCoupling([1, 1]), ValueError),
    (lambda: AffineCoupling([1, 2]), ValueError),
    (lambda: AffineCoupling("10"), TypeError),
    (lambda: AffineCoupling([1, 0], hidden=(0,)), ValueError),
    (lambda: Flow([]), ValueError),
    (lambda: Flow(PlanarFlow(2)), TypeError),
    (lambda: Flow([PlanarFlow(2), PlanarFlow(3)]), ValueError),
    (lambda: Flow(["layer"]), TypeError),
    (lambda: coupling_flow(1), ValueError),
    (lambda: planar_flow(2, layers=0), ValueError),
    (lambda: coupling_flow(2).sample(0), ValueError),
    (lambda: coupling_flow(2).sample(3, generator=0), TypeError),
    (lambda: coupling_flow(2).log_prob(torch.zeros(4, 3)), ValueError),
    (lambda: coupling_flow(2).log_prob(np.zeros((4, 2))), TypeError),
    (lambda: train_flow(nn.Linear(2, 2), np.zeros((5, 2)), steps=1), TypeError),
    (lambda: train_flow(coupling_flow(2), np.zeros((5, 3)), steps=1), ValueError),
    (lambda: train_flow(coupling_flow(2), np.zeros((5, 2)), steps=0), ValueError),
    (lambda: train_flow(coupling_flow(2), np.zeros((5, 2)), steps=1, lr=-1.0), ValueError),
    (lambda: train_flow(coupling_flow(2), np.zeros((5, 2)), steps=1, batch_size="8"), TypeError),
    (lambda: gaussian_nll(np.zeros((10, 2)), np.zeros((3, 3))), ValueError),
    (lambda: gaussian_nll("data", np.zeros((3, 3))), TypeError),
    (lambda: density_on_grid(coupling_flow(3)), ValueError),
    (lambda: density_on_grid(coupling_flow(2), xlim=(1, -1)), ValueError),
    (lambda: density_on_grid(coupling_flow(2), resolution=1), ValueError),
])
def test_wrong_arguments_raise_type_or_value_errors_with_one_sentence(call, error):
    with pytest.raises(error) as raised:
        call()
    message = str(raised.value)
    assert message.endswith(".") and "expects" in message
