"""dlcourse.models.wgan: the critic and the line generator, the critic's loss, weight clipping, the
gradient penalty, the training loop with both Lipschitz methods, and the critic's picture."""
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.colors import to_hex
from torch import nn

import dlcourse
from dlcourse import datasets
from dlcourse.models.gan import DCGANDiscriminator, DCGANGenerator, Generator
from dlcourse.models.wgan import (
    Critic,
    LineGenerator,
    clip_weights,
    critic_loss,
    gradient_penalty,
    plot_critic,
    train_wgan,
)


@pytest.fixture
def one_thread():
    """Runs are compared bit for bit; one thread also avoids oversubscribing a busy machine."""
    with dlcourse.config.one_thread():
        yield


def _linear_critic(a, b=0.0):
    """f(x) = a . x + b as a module: its gradient is a at every x."""
    layer = nn.Linear(len(a), 1)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([a], dtype=torch.float32))
        layer.bias.fill_(b)
    return nn.Sequential(layer, nn.Flatten(0))  # (N, d) -> (N,)


# ------------------------------------------------------------------------------ models
def test_critic_maps_a_batch_of_points_to_one_real_score_each():
    torch.manual_seed(0)
    critic = Critic(input_dim=3, hidden=(8, 5))
    scores = critic(torch.randn(7, 3) * 100)
    assert scores.shape == (7,)
    # no sigmoid: scores are not squeezed into (0, 1), and no batch norm anywhere
    assert scores.abs().max() > 1
    assert not any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in critic.modules())
    assert [m.out_features for m in critic.modules() if isinstance(m, nn.Linear)] == [8, 5, 1]


def test_line_generator_puts_every_sample_at_theta_and_passes_the_noise_through():
    line = LineGenerator(theta=-0.7)
    z = torch.randn(5, 1)
    x = line(z)
    assert x.shape == (5, 2)
    torch.testing.assert_close(x[:, 0], torch.full((5,), -0.7))
    torch.testing.assert_close(x[:, 1], z[:, 0])
    # d mean(x_1) / d theta = 1: theta is the line's position
    x[:, 0].mean().backward()
    assert line.theta.grad.item() == pytest.approx(1.0)


def test_line_generator_samples_match_the_parallel_lines_data_set_in_law():
    samples = LineGenerator(theta=0.3).sample(20_000, torch.Generator().manual_seed(0)).numpy()
    data = datasets.parallel_lines(0.3, 20_000, seed=0)
    assert np.all(samples[:, 0] == np.float32(0.3)) and np.all(data[:, 0] == 0.3)
    for column in (samples[:, 1], data[:, 1]):   # both heights are N(0, 1)
        assert abs(column.mean()) < 0.03 and abs(column.std() - 1) < 0.03


# ------------------------------------------------------------------------------ critic loss
def test_critic_loss_is_mean_fake_minus_mean_real():
    real = torch.tensor([1.0, 2.0, 3.0])      # mean 2
    fake = torch.tensor([[-1.0], [0.5]])      # mean -0.25, another shape and size
    assert critic_loss(real, fake).item() == pytest.approx(-2.25)
    assert critic_loss(real, fake).shape == ()


def test_critic_loss_is_minus_the_wasserstein_estimate_so_minimising_it_separates_real_from_fake():
    # the sign convention: a critic scoring real points higher than fakes has a negative loss,
    # and gradient descent on the loss raises the real scores and lowers the fake ones
    real = torch.zeros(4, requires_grad=True)
    fake = torch.zeros(6, requires_grad=True)
    critic_loss(real, fake).backward()
    torch.testing.assert_close(real.grad, torch.full((4,), -1 / 4))
    torch.testing.assert_close(fake.grad, torch.full((6,), 1 / 6))
    assert critic_loss(torch.ones(3), -torch.ones(3)).item() == -2.0


def test_best_critic_on_the_parallel_lines_estimates_abs_theta():
    # f(x) = -sign(theta) x_1 is 1-Lipschitz; its bracket E_p*[f] - E_p_theta[f] equals |theta| = W
    for theta in (-1.5, 0.25, 2.0):
        real = torch.tensor(datasets.parallel_lines(0.0, 100, seed=1), dtype=torch.float32)
        fake = torch.tensor(datasets.parallel_lines(theta, 100, seed=2), dtype=torch.float32)
        f = _linear_critic([-math.copysign(1.0, theta), 0.0])
        with torch.no_grad():
            assert -critic_loss(f(real), f(fake)).item() == pytest.approx(abs(theta))


@pytest.mark.parametrize("real, fake, error, message", [
    ([1.0, 2.0], torch.zeros(2), TypeError, "real_scores to be a torch tensor"),
    (torch.zeros(2), torch.zeros(0), ValueError, "fake_scores to be a non-empty floating-point tensor"),
    (torch.zeros(2, dtype=torch.long), torch.zeros(2), ValueError, "dtype torch.int64"),
])
def test_critic_loss_rejects_bad_scores(real, fake, error, message):
    with pytest.raises(error, match=message):
        critic_loss(real, fake)


# ------------------------------------------------------------------------------ clipping
def test_clip_weights_clamps_every_parameter_into_minus_c_c_and_keeps_small_ones():
    torch.manual_seed(0)
    critic = Critic(2, hidden=(16, 16))
    with torch.no_grad():
        for parameter in critic.parameters():
            parameter.mul_(10)
    before = [p.detach().clone() for p in critic.parameters()]
    assert clip_weights(critic, 0.05) is critic
    for old, new in zip(before, critic.parameters()):
        assert new.abs().max() <= 0.05
        torch.testing.assert_close(new.detach(), old.clamp(-0.05, 0.05), rtol=0, atol=0)
    assert any((old.abs() > 0.05).any() for old in before)   # something was clipped
    assert any((old.abs() < 0.05).any() for old in before)   # and small weights were kept


def test_clip_weights_default_bound_is_0_01_and_does_not_record_gradients():
    critic = Critic(2, hidden=(4,))
    clip_weights(critic)
    assert max(p.abs().max().item() for p in critic.parameters()) <= 0.01
    assert all(p.requires_grad and p.grad is None for p in critic.parameters())


@pytest.mark.parametrize("args, error, message", [
    (("not a module",), TypeError, "module to be a torch.nn.Module; got str"),
    ((Critic(2, (4,)), 0), ValueError, "c to be a positive clipping bound"),
    ((Critic(2, (4,)), -0.01), ValueError, "c to be a positive clipping bound"),
    ((Critic(2, (4,)), float("nan")), ValueError, "c to be a positive clipping bound"),
])
def test_clip_weights_rejects_bad_arguments(args, error, message):
    with pytest.raises(error, match=message):
        clip_weights(*args)


# ------------------------------------------------------------------------------ gradient penalty
@pytest.mark.parametrize("a", [[0.0, 0.0], [0.6, 0.8], [3.0, -4.0], [0.1, 0.2]])
def test_gradient_penalty_of_a_linear_critic_is_lambda_times_norm_minus_one_squared(a):
    # f(x) = a . x has gradient a everywhere, so every interpolate gives (|a| - 1)^2
    torch.manual_seed(0)
    real, fake = torch.randn(32, 2), torch.randn(32, 2) + 3
    penalty = gradient_penalty(_linear_critic(a, b=0.5), real, fake)
    expected = (math.hypot(*a) - 1) ** 2
    assert penalty.item() == pytest.approx(expected, rel=1e-5, abs=1e-6)
    assert (10 * penalty).item() == pytest.approx(10 * expected, rel=1e-5, abs=1e-5)


def test_gradient_penalty_equals_a_hand_computation_on_the_interpolates_for_a_nonlinear_critic():
    # f(x) = sum(x^2): grad f = 2 x, so the penalty is mean (2 |x_hat| - 1)^2 with
    # x_hat = eps * real + (1 - eps) * fake and eps drawn as the function draws it
    torch.manual_seed(1)
    real, fake = torch.randn(6, 3), torch.randn(6, 3)
    penalty = gradient_penalty(lambda x: (x ** 2).sum(dim=1), real, fake, generator=torch.Generator().manual_seed(5))
    eps = torch.rand(6, 1, generator=torch.Generator().manual_seed(5))
    x_hat = eps * real + (1 - eps) * fake
    expected = ((2 * x_hat.norm(dim=1) - 1) ** 2).mean()
    torch.testing.assert_close(penalty, expected)


def test_gradient_penalty_uses_the_whole_example_for_image_shaped_inputs():
    # (N, C, H, W) inputs: the norm runs over all C*H*W entries of one example's gradient
    a = torch.full((1, 2, 2), 0.25)   # |a| = sqrt(4 * 0.0625) = 0.5

    def critic(x):
        return (x * a).sum(dim=(1, 2, 3))

    penalty = gradient_penalty(critic, torch.randn(5, 1, 2, 2), torch.randn(5, 1, 2, 2))
    assert penalty.item() == pytest.approx(0.25)   # (0.5 - 1)^2


def test_gradient_penalty_keeps_its_graph_and_pushes_the_gradient_norm_toward_one():
    critic = _linear_critic([3.0, 4.0])   # |a| = 5
    real, fake = torch.randn(16, 2), torch.randn(16, 2)
    penalty = gradient_penalty(critic, real, fake)
    penalty.backward()
    # d/da (|a| - 1)^2 = 2 (|a| - 1) a / |a| = 2 * 4 * (0.6, 0.8)
    torch.testing.assert_close(critic[0].weight.grad, torch.tensor([[4.8, 6.4]]))
    assert real.grad is None and fake.grad is None   # the samples are detached


def test_gradient_penalty_repeats_with_a_seeded_generator():
    torch.manual_seed(0)
    critic, real, fake = Critic(2, (8,)), torch.randn(10, 2), torch.randn(10, 2)
    one = gradient_penalty(critic, real, fake, generator=torch.Generator().manual_seed(3))
    two = gradient_penalty(critic, real, fake, generator=torch.Generator().manual_seed(3))
    assert one.item() == two.item()


@pytest.mark.parametrize("args, error, message", [
    ((None, torch.zeros(2, 2), torch.zeros(2, 2)), TypeError, "critic to be a module or function"),
    ((Critic(2, (4,)), np.zeros((2, 2)), torch.zeros(2, 2)), TypeError, "real to be a floating-point tensor"),
    ((Critic(2, (4,)), torch.zeros(2, 2, dtype=torch.long), torch.zeros(2, 2)), ValueError,
     "real to be a floating-point tensor"),
    ((Critic(2, (4,)), torch.zeros(2, 2), torch.zeros(2)), ValueError, r"fake to be .* got shape \(2,\)"),
    ((Critic(2, (4,)), torch.zeros(3, 2), torch.zeros(2, 2)), ValueError, r"same shape; got \(3, 2\) and \(2, 2\)"),
    ((Critic(2, (4,)), torch.zeros(2, 2), torch.zeros(2, 2), 7), TypeError, "generator to be a torch.Generator"),
])
def test_gradient_penalty_rejects_bad_inputs(args, error, message):
    with pytest.raises(error, match=message):
        gradient_penalty(*args)


# ------------------------------------------------------------------------------ training
def _lines(n=512):
    return datasets.parallel_lines(0.0, n, seed=0)


@pytest.mark.parametrize("method, settings", [
    ("clip", dict(lr=5e-3, lr_critic=5e-4)),
    ("gp", dict(lr=1e-2, lr_critic=2e-3)),
])
def test_train_wgan_moves_theta_toward_zero_and_repeats_exactly(one_thread, method, settings):
    runs = []
    for _ in range(2):
        dlcourse.seed_everything(0)
        line, critic = LineGenerator(theta=1.0), Critic(2, hidden=(16,))
        history = train_wgan(line, critic, _lines(), steps=100, batch_size=32, method=method, live=False,
                             progress=False, **settings)
        runs.append((line.theta.item(), history))
    theta, history = runs[0]
    expected = {"critic_loss", "wasserstein", "generator_loss", "theta"}
    assert set(history) == (expected | {"gradient_penalty"} if method == "gp" else expected)
    assert all(len(values) == 100 for values in history.values())
    assert history["theta"][-1] == theta
    assert abs(theta) < 0.3, theta                      # started at 1
    assert runs[1][0] == theta and runs[1][1] == history
    assert not line.training and not critic.training


def test_train_wgan_with_clipping_keeps_every_critic_weight_within_c(one_thread):
    dlcourse.seed_everything(0)
    line, critic = LineGenerator(1.0), Critic(2, hidden=(8,))
    clipped = []
    train_wgan(line, critic, _lines(64), steps=5, method="clip", clip=0.02, live=False, progress=False,
               callback=lambda step, g, c: clipped.append(max(p.abs().max().item() for p in c.parameters())))
    assert len(clipped) == 5 and max(clipped) <= 0.02


def test_train_wgan_gp_critic_estimate_approaches_abs_theta_for_a_fixed_generator(one_thread):
    # theta frozen at 1.5: the critic alone learns, and its estimate should reach W = 1.5
    dlcourse.seed_everything(0)
    line, critic = LineGenerator(1.5), Critic(2, hidden=(32, 32))
    line.theta.requires_grad_(False)
    history = train_wgan(line, critic, _lines(), steps=100, method="gp", lr=1e-3, live=False, progress=False)
    assert history["theta"] == [1.5] * 100
    assert abs(np.mean(history["wasserstein"][-20:]) - 1.5) < 0.2
    assert np.mean(history["gradient_penalty"][-20:]) < 0.1


def test_train_wgan_runs_n_critic_critic_steps_per_generator_step_and_calls_back(one_thread):
    dlcourse.seed_everything(0)
    line, critic = LineGenerator(1.0), Critic(2, hidden=(4,))
    counted = []
    original_forward = critic.forward
    critic.forward = lambda x: counted.append(len(x)) or original_forward(x)
    calls = []
    train_wgan(line, critic, _lines(64), steps=3, method="clip", n_critic=4, batch_size=8, live=False,
               progress=False, callback=lambda step, g, c: calls.append((step, g is line, c is critic)))
    assert calls == [(1, True, True), (2, True, True), (3, True, True)]
    assert counted == 3 * ([8, 8] * 4 + [8])   # per step: n_critic times (real, fake), then one fake batch


def test_train_wgan_uses_the_papers_optimisers_and_learning_rates():
    seen = {}
    for method in ("clip", "gp"):
        line, critic = LineGenerator(1.0), Critic(2, hidden=(4,))
        original = torch.optim.RMSprop if method == "clip" else torch.optim.Adam

        class Spy(original):
            def __init__(self, params, **kwargs):
                seen.setdefault(method, []).append(kwargs)
                super().__init__(params, **kwargs)

        name = "RMSprop" if method == "clip" else "Adam"
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(torch.optim, name, Spy)
            train_wgan(line, critic, _lines(32), steps=1, method=method, batch_size=4, live=False, progress=False)
    assert seen["clip"] == [dict(lr=5e-5), dict(lr=5e-5)]
    assert seen["gp"] == [dict(lr=1e-4, betas=(0.0, 0.9)), dict(lr=1e-4, betas=(0.0, 0.9))]


def test_train_wgan_trains_a_fully_connected_generator_on_the_ring(one_thread):
    dlcourse.seed_everything(0)
    generator, critic = Generator(latent_dim=2, output_dim=2, hidden=(16,)), Critic(2, hidden=(16,))
    before = [p.detach().clone() for p in generator.parameters()]
    history = train_wgan(generator, critic, datasets.gaussian_ring(256, std=0.1), steps=3, lr=1e-3, live=False,
                         progress=False)
    assert "theta" not in history and len(history["gradient_penalty"]) == 3
    assert all(not torch.equal(old, new) for old, new in zip(before, generator.parameters()))


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(steps=0), ValueError, "steps to be a positive integer; got 0"),
    (dict(steps=1, method="sgd"), ValueError, "method to be one of 'clip', 'gp'; got 'sgd'"),
    (dict(steps=1, n_critic=0), ValueError, "n_critic to be a positive integer; got 0"),
    (dict(steps=1, batch_size=2.5), TypeError, "batch_size to be a positive integer"),
    (dict(steps=1, lr=-1e-3), ValueError, "lr to be a positive learning rate"),
    (dict(steps=1, lr_critic=0), ValueError, "lr_critic to be a positive learning rate"),
    (dict(steps=1, clip=0), ValueError, "clip to be a positive clipping bound"),
    (dict(steps=1, gp_weight=-10), ValueError, "gp_weight to be a non-negative weight"),
    (dict(steps=1, betas=(0.5,)), ValueError, r"betas to be a pair \(beta1, beta2\)"),
    (dict(steps=1, betas=(0.5, 1.0)), ValueError, r"betas to be a pair \(beta1, beta2\)"),
    (dict(steps=1, seed=-1), ValueError, "seed to be a non-negative integer"),
    (dict(steps=1, callback="print"), TypeError, "callback to be a function"),
])
def test_train_wgan_rejects_bad_settings(kwargs, error, message):
    with pytest.raises(error, match=message):
        train_wgan(LineGenerator(1.0), Critic(2, (4,)), _lines(16), live=False, progress=False, **kwargs)


def test_train_wgan_rejects_mismatched_players_and_data():
    line, critic = LineGenerator(1.0), Critic(2, (4,))
    with pytest.raises(ValueError, match=r"shaped like the generator's samples, \(2,\); got X of shape \(16, 3\)"):
        train_wgan(line, critic, np.zeros((16, 3)), steps=1, live=False, progress=False)
    with pytest.raises(ValueError, match=r"shape \(N, \.\.\.\) with N >= 1 examples"):
        train_wgan(line, critic, np.zeros(16), steps=1, live=False, progress=False)
    with pytest.raises(TypeError, match="NumPy array or tensor of numbers; got list"):
        train_wgan(line, critic, [["a", "b"]], steps=1, live=False, progress=False)
    with pytest.raises(TypeError, match="latent_dim attribute"):
        train_wgan(critic, critic, _lines(16), steps=1, live=False, progress=False)
    with pytest.raises(TypeError, match="critic to be a torch.nn.Module; got function"):
        train_wgan(line, lambda x: x.sum(1), _lines(16), steps=1, live=False, progress=False)


def test_train_wgan_refuses_batch_norm_in_the_critic_with_the_gradient_penalty_but_not_with_clipping(one_thread):
    images = torch.rand(16, 1, 8, 8) * 2 - 1
    generator = DCGANGenerator(latent_dim=4, image_size=8, channels=(4,))
    critic = DCGANDiscriminator(image_size=8, channels=(4, 4))
    assert any(isinstance(m, nn.BatchNorm2d) for m in critic.modules())
    with pytest.raises(ValueError, match="critic without batch normalisation"):
        train_wgan(generator, critic, images, steps=1, method="gp", live=False, progress=False)
    # clipping has no per-example penalty; a batch-norm generator also passes the shape check
    history = train_wgan(generator, critic, images, steps=1, method="clip", batch_size=4, live=False, progress=False)
    assert len(history["critic_loss"]) == 1


def test_train_wgan_leaves_no_figure_open_when_not_drawing_live(one_thread, monkeypatch):
    monkeypatch.setenv("DLCOURSE_LIVE", "0")
    plt.close("all")
    train_wgan(LineGenerator(1.0), Critic(2, (4,)), _lines(16), steps=1, progress=False)   # live=None
    assert plt.get_fignums() == []


@pytest.mark.parametrize("call, error, message", [
    (lambda: Critic(0), ValueError, "input_dim to be a positive integer; got 0"),
    (lambda: Critic(2, hidden="64"), TypeError, "hidden to be a tuple of layer widths"),
    (lambda: Critic(2, hidden=(8, 0)), ValueError, "each entry of hidden to be a positive integer"),
    (lambda: Critic(2)(np.zeros((3, 2))), TypeError, r"x to be a torch tensor of shape \(N, 2\)"),
    (lambda: Critic(2)(torch.zeros(3, 3)), ValueError, r"x of shape \(N, 2\); got shape \(3, 3\)"),
    (lambda: LineGenerator(float("inf")), ValueError, "theta to be a finite number"),
    (lambda: LineGenerator("1"), TypeError, "theta to be a finite number"),
    (lambda: LineGenerator()(torch.zeros(3)), ValueError, r"shape \(N, 1\); got shape \(3,\)"),
    (lambda: LineGenerator()([[0.0]]), TypeError, "z to be a torch tensor"),
    (lambda: LineGenerator().sample(0), ValueError, "n to be a positive integer; got 0"),
])
def test_models_reject_bad_arguments_and_inputs(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ------------------------------------------------------------------------------ plotting
def test_plot_critic_draws_the_scores_as_a_contour_with_both_sample_sets():
    critic = _linear_critic([1.0, 0.0])   # the score is x_1
    critic.train()
    ax = plot_critic(critic, real=np.zeros((5, 2)), fake=torch.ones(4, 2), xlim=(-2, 2), ylim=(-1, 1),
                     resolution=10, title="a ramp")
    assert ax.get_title() == "a ramp" and ax.get_xlim() == (-2, 2) and ax.get_ylim() == (-1, 1)
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["real", "generated"]
    assert [len(c.get_offsets()) for c in ax.collections[-2:]] == [5, 4]
    # real in black, generated in the Okabe-Ito vermillion (no red-green pair on the green-yellow map)
    assert [to_hex(c.get_facecolor()[0], keep_alpha=False) for c in ax.collections[-2:]] == ["#000000", "#d55e00"]
    assert critic.training   # the critic's mode is restored
    colour_bar = ax.figure.axes[-1]
    assert colour_bar.get_ylabel() == "critic score f(x)"
    plt.close(ax.figure)
    ax = plot_critic(lambda x: torch.sigmoid(x[:, 0]), resolution=5, label="D(x)")   # any function of (N, 2)
    assert ax.figure.axes[-1].get_ylabel() == "D(x)"
    plt.close(ax.figure)


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(critic="f"), TypeError, "critic to be a module or function"),
    (dict(resolution=1), ValueError, "resolution to be an integer >= 2"),
    (dict(xlim=(1, -1)), ValueError, r"xlim to be a pair \(low, high\) with low < high"),
    (dict(real=np.zeros((3, 3))), ValueError, r"real points to be an array of shape \(N, 2\); got shape \(3, 3\)"),
])
def test_plot_critic_rejects_bad_arguments(kwargs, error, message):
    arguments = dict(critic=_linear_critic([1.0, 0.0]), resolution=5) | kwargs
    with pytest.raises(error, match=message):
        plot_critic(**arguments)
    plt.close("all")


# ------------------------------------------------------------------- the exception rule
def _train(**kwargs):
    arguments = dict(steps=1, live=False, progress=False) | kwargs
    return train_wgan(LineGenerator(1.0), Critic(2, (4,)), _lines(64), **arguments)


@pytest.mark.parametrize("call, message", [
    (lambda: Critic(input_dim="2"), "input_dim to be a positive integer"),
    (lambda: clip_weights("critic"), "module to be a torch.nn.Module; got str"),
    (lambda: clip_weights(Critic(2, (4,)), c="0.01"), "c to be a positive clipping bound"),
    (lambda: critic_loss([1.0], torch.zeros(2)), "real_scores to be a torch tensor of critic scores"),
    (lambda: _train(n_critic=2.0), "n_critic to be a positive integer; got 2.0"),
    (lambda: _train(betas=0.9), "betas to be a pair \\(beta1, beta2\\)"),
    (lambda: _train(betas=(0.5, "0.9")), "betas to be a pair"),
    (lambda: _train(gp_weight="10"), "gp_weight to be a non-negative weight"),
    (lambda: plot_critic(Critic(2, (4,)), xlim="wide"), "xlim to be a pair \\(low, high\\)"),
    (lambda: plot_critic(Critic(2, (4,)), resolution=10.0), "resolution to be an integer >= 2"),
])
def test_arguments_of_the_wrong_type_raise_type_error(call, message):
    with pytest.raises(TypeError, match=message):
        call()
    plt.close("all")


@pytest.mark.parametrize("call, message", [
    (lambda: Critic(input_dim=0), "input_dim to be a positive integer; got 0"),
    (lambda: clip_weights(Critic(2, (4,)), c=0.0), "c to be a positive clipping bound"),
    (lambda: critic_loss(torch.zeros(0), torch.zeros(2)), "real_scores to be a non-empty floating-point tensor"),
    (lambda: _train(n_critic=0), "n_critic to be a positive integer; got 0"),
    (lambda: _train(betas=(0.5, 0.9, 0.1)), "betas to be a pair"),
    (lambda: _train(betas=(0.5, 1.0)), "betas to be a pair"),
    (lambda: _train(gp_weight=-1.0), "gp_weight to be a non-negative weight"),
    (lambda: plot_critic(Critic(2, (4,)), xlim=(1.0, -1.0)), "xlim to be a pair \\(low, high\\) with low < high"),
    (lambda: plot_critic(Critic(2, (4,)), resolution=1), "resolution to be an integer >= 2"),
])
def test_arguments_of_the_right_type_but_a_wrong_value_raise_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
    plt.close("all")
