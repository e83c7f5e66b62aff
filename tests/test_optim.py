"""Behaviour of dlcourse.nn.optim: each NumPy optimiser takes torch.optim's steps, in place."""
import inspect
import warnings

import numpy as np
import pytest
import torch

from dlcourse.nn import optim
from dlcourse.nn.optim import SGD, Adadelta, Adagrad, Adam, RMSprop, narrow_valley, rosenbrock, saddle, trajectory

OPTIMISERS = {"SGD": SGD, "Adagrad": Adagrad, "Adadelta": Adadelta, "RMSprop": RMSprop, "Adam": Adam}

SETTINGS = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.05, "momentum": 0.5, "nesterov": True, "weight_decay": 0.1}),
    ("Adagrad", {}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.05, "weight_decay": 0.1, "initial_accumulator_value": 0.5}),
    ("Adadelta", {}),
    ("Adadelta", {"lr": 0.5, "rho": 0.5, "eps": 1e-4, "weight_decay": 0.1}),
    ("RMSprop", {}),
    ("RMSprop", {"lr": 0.01, "alpha": 0.9, "momentum": 0.8}),
    ("RMSprop", {"lr": 0.01, "centered": True}),
    ("RMSprop", {"lr": 0.005, "centered": True, "momentum": 0.5, "weight_decay": 0.1, "eps": 1e-3}),
    ("Adam", {}),
    ("Adam", {"lr": 0.05, "betas": (0.8, 0.9), "weight_decay": 0.1}),
    ("Adam", {"lr": 0.05, "amsgrad": True}),
    ("Adam", {"lr": 0.01, "betas": (0.0, 0.5), "eps": 1e-3, "amsgrad": True, "weight_decay": 0.05}),
]


def _setting_id(setting):
    name, kwargs = setting
    return name + "".join(f"-{k}={v}" for k, v in kwargs.items())


def run_both(name, kwargs, steps=25, seed=0):
    """Step the NumPy and the torch optimiser on the same random params/grads; return both params."""
    rng = np.random.default_rng(seed)
    params = [rng.normal(size=(4, 3)), rng.normal(size=(3,)), rng.normal(size=())]
    tensors = [torch.tensor(p.copy(), dtype=torch.float64, requires_grad=True) for p in params]
    ours = OPTIMISERS[name](**kwargs)
    theirs = getattr(torch.optim, name)(tensors, **kwargs)
    for _ in range(steps):
        # scale varies so that adaptive methods meet both large and small gradients
        grads = [rng.normal(size=p.shape) * rng.choice([0.01, 1.0, 10.0]) for p in params]
        for tensor, grad in zip(tensors, grads):
            tensor.grad = torch.tensor(grad)
        theirs.step()
        ours.step(params, grads)
    return params, [t.detach().numpy() for t in tensors]


# ------------------------------------------------------------------ agreement with torch
@pytest.mark.parametrize("setting", SETTINGS, ids=_setting_id)
def test_optimiser_matches_torch_for_25_steps(setting):
    ours, theirs = run_both(*setting)
    for p, t in zip(ours, theirs):
        np.testing.assert_allclose(p, t, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", OPTIMISERS)
def test_defaults_are_torch_defaults(name):
    ours = inspect.signature(OPTIMISERS[name]).parameters
    theirs = inspect.signature(getattr(torch.optim, name)).parameters
    for parameter in ours.values():
        assert parameter.default == theirs[parameter.name].default, parameter.name
    # and every hyper-parameter torch has besides its implementation switches is here
    switches = {"params", "foreach", "maximize", "capturable", "differentiable", "fused", "decoupled_weight_decay"}
    assert set(theirs) - switches == set(ours)


def test_float32_params_stay_float32_and_match_torch():
    rng = np.random.default_rng(1)
    param = rng.normal(size=(5,)).astype(np.float32)
    tensor = torch.tensor(param.copy(), requires_grad=True)
    ours, theirs = Adam(lr=0.1), torch.optim.Adam([tensor], lr=0.1)
    for _ in range(20):
        grad = rng.normal(size=(5,)).astype(np.float32)
        tensor.grad = torch.tensor(grad)
        theirs.step()
        ours.step([param], [grad])
    assert param.dtype == np.float32
    np.testing.assert_allclose(param, tensor.detach().numpy(), rtol=1e-5, atol=1e-6)


# ------------------------------------------------------------------ in place, state by position
@pytest.mark.parametrize("name", OPTIMISERS)
def test_step_updates_params_in_place_and_leaves_grads_alone(name):
    params = [np.ones((2, 3)), np.zeros(4)]
    held = list(params)  # what an MLP would hold
    grads = [np.full((2, 3), 0.5), np.arange(4.0)]
    grads_before = [g.copy() for g in grads]
    OPTIMISERS[name](lr=0.1, weight_decay=0.1).step(params, grads)
    assert all(p is h for p, h in zip(params, held))
    assert not np.allclose(held[0], 1.0)  # the held arrays moved
    for g, before in zip(grads, grads_before):
        np.testing.assert_array_equal(g, before)


def test_sgd_step_is_lr_times_gradient():
    param = np.array([1.0, -2.0])
    SGD(lr=0.5).step([param], [np.array([2.0, 4.0])])
    np.testing.assert_allclose(param, [0.0, -4.0])


def test_adam_first_step_has_size_lr_in_every_coordinate():
    # bias correction makes m_hat / sqrt(v_hat) = g / |g| at t = 1, whatever the gradient's scale
    param = np.zeros(3)
    Adam(lr=0.01).step([param], [np.array([1e-3, -3.0, 500.0])])
    np.testing.assert_allclose(param, [-0.01, 0.01, -0.01], rtol=1e-4)  # eps / 1e-3 = 1e-5


def test_reset_forgets_state_so_steps_repeat():
    grad = [np.array([1.0, -1.0])]
    optimizer = SGD(lr=0.1, momentum=0.9)
    first = [np.zeros(2)]
    optimizer.step(first, grad)
    optimizer.step(first, grad)
    optimizer.reset()
    again = [np.zeros(2)]
    optimizer.step(again, grad)
    optimizer.step(again, grad)
    np.testing.assert_array_equal(first[0], again[0])
    assert optimizer.t == 2


def test_zero_state_is_reset():
    assert SGD.zero_state is SGD.reset


def test_state_is_kept_per_optimiser_object():
    a, b = [np.zeros(2)], [np.zeros(2)]
    opt_a, opt_b = Adam(lr=0.1), Adam(lr=0.1)
    for _ in range(3):
        opt_a.step(a, [np.ones(2)])
    opt_b.step(b, [np.ones(2)])
    assert opt_a.t == 3 and opt_b.t == 1
    np.testing.assert_allclose(b[0], [-0.1, -0.1])


# ------------------------------------------------------------------ bad inputs
def test_step_with_more_params_than_grads_says_how_many():
    with pytest.raises(ValueError, match=r"Adam.step got 3 params but 2 grads"):
        Adam().step([np.zeros(1), np.zeros(1), np.zeros(1)], [np.zeros(1), np.zeros(1)])


def test_step_with_a_grad_of_the_wrong_shape_names_both_shapes():
    with pytest.raises(ValueError, match=r"RMSprop.step expects grads\[1\] to have the shape of params\[1\], "
                                         r"\(2, 3\); got shape \(3, 2\)"):
        RMSprop().step([np.zeros(1), np.zeros((2, 3))], [np.zeros(1), np.zeros((3, 2))])


def test_step_rejects_params_it_cannot_update_in_place():
    with pytest.raises(TypeError, match=r"SGD.step expects params\[0\] to be a float NumPy array .* got list"):
        SGD().step([[1.0, 2.0]], [[1.0, 1.0]])
    with pytest.raises(TypeError, match=r"got int64 array"):
        SGD().step([np.array([1, 2])], [np.array([1.0, 1.0])])
    with pytest.raises(TypeError, match=r"lists of NumPy arrays; got ndarray"):
        SGD().step(np.zeros(2), np.zeros(2))


def test_step_on_other_params_without_reset_is_refused():
    optimizer = Adagrad()
    optimizer.step([np.zeros(2)], [np.ones(2)])
    with pytest.raises(ValueError, match=r"call reset\(\) before optimising other parameters"):
        optimizer.step([np.zeros(3)], [np.ones(3)])


@pytest.mark.parametrize("make, message", [
    (lambda: SGD(lr=-0.1), r"SGD expects lr to be a non-negative number; got -0.1"),
    (lambda: SGD(lr=float("nan")), r"SGD expects lr to be a non-negative number"),
    (lambda: SGD(momentum=-0.5), r"SGD expects momentum to be a non-negative number"),
    (lambda: SGD(lr=0.1, nesterov=True), r"nesterov=True expects momentum > 0 and dampening = 0"),
    (lambda: SGD(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), r"got momentum=0.9, dampening=0.1"),
    (lambda: Adagrad(lr_decay=-1), r"Adagrad expects lr_decay to be a non-negative number"),
    (lambda: Adagrad(eps=-1e-10), r"Adagrad expects eps to be a non-negative number"),
    (lambda: Adadelta(rho=1.5), r"Adadelta expects rho to be a number in \[0, 1\]; got 1.5"),
    (lambda: RMSprop(alpha=-0.1), r"RMSprop expects alpha to be a number in \[0, 1\]"),
    (lambda: Adam(betas=(0.9, 1.0)), r"Adam expects betas\[1\] to be a number in \[0, 1\); got 1.0"),
    (lambda: Adam(betas=(-0.1, 0.999)), r"Adam expects betas\[0\] to be a number in \[0, 1\)"),
    (lambda: Adam(betas=(0.9, 0.99, 0.999)), r"Adam expects betas to be a pair \(beta1, beta2\); "
                                             r"got \(0.9, 0.99, 0.999\)"),
    (lambda: Adam(weight_decay=-1), r"Adam expects weight_decay to be a non-negative number"),
])
def test_bad_hyper_parameters_are_refused_with_a_sentence(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_a_hyper_parameter_of_the_wrong_type_is_a_type_error():
    with pytest.raises(TypeError, match=r"^SGD expects lr to be a non-negative number; got '0.1'\.$"):
        SGD(lr="0.1")
    with pytest.raises(TypeError, match=r"^Adam expects betas to be a pair \(beta1, beta2\); got float\.$"):
        Adam(betas=0.9)


def test_flags_must_be_booleans():
    with pytest.raises(TypeError, match=r"Adam expects amsgrad to be True or False; got 'yes'"):
        Adam(amsgrad="yes")
    with pytest.raises(TypeError, match=r"RMSprop expects centered to be True or False"):
        RMSprop(centered=1)


# ------------------------------------------------------------------ surfaces and trajectories
@pytest.mark.parametrize("surface", [saddle, narrow_valley, rosenbrock], ids=lambda s: s.name)
def test_surface_gradient_matches_finite_differences_and_vanishes_at_the_minimum(surface):
    rng = np.random.default_rng(0)
    h = 1e-6
    for x, y in rng.uniform(-1.5, 1.5, size=(5, 2)):
        numerical = ((surface.f(x + h, y) - surface.f(x - h, y)) / (2 * h),
                     (surface.f(x, y + h) - surface.f(x, y - h)) / (2 * h))
        np.testing.assert_allclose(surface.grad(x, y), numerical, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(surface.grad(*surface.minimum), (0.0, 0.0), atol=1e-12)
    grid = np.meshgrid(np.linspace(*surface.xlim, 41), np.linspace(*surface.ylim, 41))
    assert surface.f(*grid).min() >= surface.f(*surface.minimum) - 1e-12


def test_saddle_has_a_saddle_point_at_the_origin():
    assert saddle.grad(0.0, 0.0) == (0.0, 0.0)
    assert saddle.f(0.1, 0.0) > saddle.f(0.0, 0.0) > saddle.f(0.0, 0.1)


def test_trajectory_records_every_step_of_the_optimiser():
    path = trajectory(SGD(lr=0.1), narrow_valley, steps=3)
    assert path.shape == (4, 2)
    expected = [np.array(narrow_valley.start)]
    for _ in range(3):
        x, y = expected[-1]
        expected.append(expected[-1] - 0.1 * np.array(narrow_valley.grad(x, y)))
    np.testing.assert_allclose(path, expected)


def test_trajectory_resets_the_optimiser_so_paths_repeat():
    optimizer = Adam(lr=0.1)
    first = trajectory(optimizer, rosenbrock, start=(0.0, 0.0), steps=20)
    np.testing.assert_array_equal(first, trajectory(optimizer, rosenbrock, start=(0.0, 0.0), steps=20))
    assert first[0].tolist() == [0.0, 0.0]


@pytest.mark.parametrize("name", OPTIMISERS)
def test_every_optimiser_gets_closer_to_the_valley_floor(name):
    lr = {"SGD": 0.1, "Adagrad": 1.0, "Adadelta": 1.0, "RMSprop": 0.05, "Adam": 0.2}[name]
    path = trajectory(OPTIMISERS[name](lr=lr), narrow_valley, steps=200)
    assert narrow_valley.f(*path[-1]) < 0.5 * narrow_valley.f(*path[0])


def test_trajectory_stops_quietly_when_the_optimiser_diverges():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warnings from NumPy
        path = trajectory(SGD(lr=0.25), narrow_valley, steps=100)  # lr > 2 / 10: y oscillates and grows
    finite = np.isfinite(path).all(axis=1)
    assert finite[0] and not finite[-1]
    first_lost = int(np.argmin(finite))
    assert not finite[first_lost:].any()  # once lost, always NaN
    assert np.abs(path[first_lost - 1]).max() <= 1e6


def test_trajectory_refuses_bad_arguments():
    torch_sgd = torch.optim.SGD([torch.zeros(2, requires_grad=True)])
    with pytest.raises(TypeError, match=r"dlcourse.nn.optim optimiser such as Adam\(lr=0.1\); got torch.optim.sgd.SGD"):
        trajectory(torch_sgd, narrow_valley)
    with pytest.raises(TypeError, match=r"^trajectory expects surface to be a Surface such as narrow_valley; got str"):
        trajectory(SGD(), "valley")
    with pytest.raises(TypeError, match=r"^trajectory expects steps to be a non-negative integer; got 2\.5\.$"):
        trajectory(SGD(), saddle, steps=2.5)
    with pytest.raises(ValueError, match=r"^trajectory expects start to be two finite numbers \(x, y\); "
                                         r"got shape \(3,\)"):
        trajectory(SGD(), saddle, start=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match=r"steps to be a non-negative integer; got -1"):
        trajectory(SGD(), saddle, steps=-1)


def test_public_names_are_listed():
    for name in optim.__all__:
        assert hasattr(optim, name)
