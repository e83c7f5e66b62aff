"""dlcourse.models.gan: the players (fully connected, DCGAN, conditional, InfoGAN), the losses from logits,
the training loops, virtual batch normalisation, mode coverage and the plot helpers."""
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torch.nn.functional as F

import dlcourse
from dlcourse.models.gan import (
    ConditionalDiscriminator,
    ConditionalGenerator,
    DCGANDiscriminator,
    DCGANGenerator,
    Discriminator,
    Generator,
    InfoGANDiscriminator,
    InfoGANGenerator,
    MinibatchStdDev,
    VirtualBatchNorm,
    discriminator_loss,
    generator_loss,
    mutual_information_loss,
    train_gan,
    train_infogan,
)
from dlcourse.models.gan_diagnostics import mode_coverage, plot_density_1d, plot_samples_2d


# ------------------------------------------------------------------------------ losses
def test_discriminator_loss_is_the_binary_cross_entropy_of_the_min_max_game():
    torch.manual_seed(0)
    real, fake = torch.randn(7), torch.randn(5)
    d_real, d_fake = torch.sigmoid(real), torch.sigmoid(fake)
    manual = -(torch.log(d_real).mean() + torch.log(1 - d_fake).mean())  # -V(D, G)
    torch.testing.assert_close(discriminator_loss(real, fake), manual)
    bce = (F.binary_cross_entropy_with_logits(real, torch.ones(7))
           + F.binary_cross_entropy_with_logits(fake, torch.zeros(5)))
    torch.testing.assert_close(discriminator_loss(real, fake), bce)


def test_one_sided_label_smoothing_moves_only_the_real_target():
    torch.manual_seed(1)
    real, fake = torch.randn(6), torch.randn(6)
    d_real, d_fake = torch.sigmoid(real), torch.sigmoid(fake)
    manual = (-(0.9 * torch.log(d_real) + 0.1 * torch.log(1 - d_real)).mean()
              - torch.log(1 - d_fake).mean())
    torch.testing.assert_close(discriminator_loss(real, fake, smoothing=0.1), manual)
    # the fake half is untouched: the same fakes with other reals change the loss by the real half only
    difference = discriminator_loss(real, fake, 0.1) - discriminator_loss(real, fake + 1.0, 0.1)
    torch.testing.assert_close(difference, (-torch.log(1 - d_fake)).mean() + torch.log(1 - torch.sigmoid(fake + 1)).mean())


def test_discriminator_loss_is_log_4_when_the_discriminator_says_one_half_everywhere():
    zeros = torch.zeros(10)
    assert discriminator_loss(zeros, zeros).item() == pytest.approx(math.log(4))


@pytest.mark.parametrize("saturating, manual", [
    (True, lambda d: torch.log(1 - d).mean()),
    (False, lambda d: -torch.log(d).mean()),
])
def test_generator_loss_matches_the_formula(saturating, manual):
    torch.manual_seed(2)
    fake = torch.randn(9)
    torch.testing.assert_close(generator_loss(fake, saturating=saturating), manual(torch.sigmoid(fake)))


def test_losses_and_their_gradients_stay_finite_for_logits_of_plus_minus_100():
    logits = torch.tensor([-100.0, 100.0], requires_grad=True)
    values = [discriminator_loss(logits, logits), discriminator_loss(logits, logits, smoothing=0.1),
              generator_loss(logits, saturating=True), generator_loss(logits, saturating=False)]
    for value in values:
        (gradient,) = torch.autograd.grad(value, logits)
        assert torch.isfinite(value) and torch.isfinite(gradient).all()
    # the exact values: -log sigmoid(-100) = 100 + log(1 + e^-100), to float precision 100
    assert generator_loss(torch.tensor([-100.0])).item() == pytest.approx(100.0)
    assert discriminator_loss(torch.tensor([100.0]), torch.tensor([-100.0])).item() == pytest.approx(0.0, abs=1e-6)


def test_saturating_loss_loses_its_gradient_where_d_of_g_is_near_zero():
    d = torch.tensor([1e-4, 1e-2, 0.5, 0.99], dtype=torch.float64)
    logits = torch.log(d / (1 - d)).requires_grad_()   # D(G(z)) = sigmoid(logit) = d
    (saturating,) = torch.autograd.grad(generator_loss(logits, saturating=True) * len(d), logits)
    (non_saturating,) = torch.autograd.grad(generator_loss(logits, saturating=False) * len(d), logits)
    torch.testing.assert_close(saturating, -d)               # d/dl log(1 - sigmoid(l)) = -D
    torch.testing.assert_close(non_saturating, -(1 - d))     # d/dl -log sigmoid(l) = -(1 - D)
    ratio = (non_saturating / saturating)[0].item()
    assert ratio == pytest.approx((1 - 1e-4) / 1e-4)         # ~10^4 times more signal at D = 1e-4


@pytest.mark.parametrize("call, error, message", [
    (lambda: discriminator_loss(np.zeros(3), torch.zeros(3)), TypeError, "real_logits to be a torch tensor"),
    (lambda: discriminator_loss(torch.zeros(3), torch.zeros(0)), ValueError, "fake_logits to be a non-empty"),
    (lambda: discriminator_loss(torch.zeros(3), torch.zeros(3), smoothing=1.0), ValueError,
     r"smoothing to be a number in \[0, 1\); got 1.0"),
    (lambda: generator_loss(torch.zeros(3, dtype=torch.long)), ValueError, "floating-point tensor of logits"),
    (lambda: generator_loss(torch.zeros(3), saturating="yes"), TypeError, "saturating to be True or False"),
])
def test_losses_reject_bad_inputs(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ------------------------------------------------------------------------------ players
def test_fully_connected_players_have_the_expected_shapes():
    generator = Generator(latent_dim=3, output_dim=2, hidden=(16, 8), output_activation="tanh")
    x = generator(torch.randn(5, 3))
    assert x.shape == (5, 2) and x.abs().max() < 1
    assert generator.sample(4).shape == (4, 2)
    discriminator = Discriminator(input_dim=2, hidden=(16,))
    assert discriminator(x).shape == (5,)


def test_generator_sample_repeats_with_a_seeded_torch_generator():
    generator = Generator(latent_dim=2, output_dim=1)
    first = generator.sample(6, torch.Generator().manual_seed(3))
    second = generator.sample(6, torch.Generator().manual_seed(3))
    assert torch.equal(first, second) and not first.requires_grad


def test_minibatch_std_feature_is_the_mean_standard_deviation_of_the_batch():
    h = torch.tensor([[0.0, 1.0], [2.0, 5.0]])
    out = MinibatchStdDev()(h)
    assert out.shape == (2, 3)
    expected = (1.0 + 2.0) / 2   # population std of each column: 1 and 2
    torch.testing.assert_close(out[:, 2], torch.full((2,), expected), atol=1e-6, rtol=0)
    collapsed = torch.ones(4, 2, requires_grad=True)  # identical samples: std 0, gradient still finite
    MinibatchStdDev()(collapsed).sum().backward()
    assert torch.isfinite(collapsed.grad).all()


def test_minibatch_std_discriminator_scores_a_sample_differently_in_a_different_batch():
    torch.manual_seed(0)
    discriminator = Discriminator(input_dim=2, hidden=(8, 8), minibatch_std=True)
    x = torch.randn(1, 2)
    alone_with_copies = discriminator(x.repeat(4, 1))[0]
    with_spread = discriminator(torch.cat([x, 3 * torch.randn(3, 2)]))[0]
    assert not torch.isclose(alone_with_copies, with_spread)
    plain = Discriminator(input_dim=2, hidden=(8, 8))
    assert torch.isclose(plain(x.repeat(4, 1))[0], plain(torch.cat([x, 3 * torch.randn(3, 2)]))[0])


@pytest.mark.parametrize("image_size, channels, shapes", [
    (28, (32, 16), [(32, 7, 7), (16, 14, 14), (1, 28, 28)]),
    (16, (8, 4, 2), [(8, 2, 2), (4, 4, 4), (2, 8, 8), (1, 16, 16)]),
])
def test_dcgan_generator_doubles_the_size_at_every_stage(image_size, channels, shapes):
    generator = DCGANGenerator(latent_dim=10, image_size=image_size, channels=channels)
    assert generator.start == shapes[0][1]
    images = generator(torch.randn(3, 10))
    assert images.shape == (3, *shapes[-1])
    assert images.abs().max() < 1  # tanh output
    sizes = [m.out_channels for m in generator.upsample if isinstance(m, torch.nn.ConvTranspose2d)]
    assert sizes == [shape[0] for shape in shapes[1:]]


def test_dcgan_discriminator_mirrors_the_generator_and_returns_one_logit_per_image():
    discriminator = DCGANDiscriminator(image_size=28, channels=(32, 16))
    convolutions = [m for m in discriminator.features if isinstance(m, torch.nn.Conv2d)]
    assert [(c.in_channels, c.out_channels) for c in convolutions] == [(1, 16), (16, 32)]
    batch_norms = [m for m in discriminator.features if isinstance(m, torch.nn.BatchNorm2d)]
    assert len(batch_norms) == 1  # none after the first convolution (Radford et al. 2016)
    assert discriminator(torch.randn(4, 1, 28, 28)).shape == (4,)


def test_dcgan_weights_start_as_normal_with_standard_deviation_0_02():
    torch.manual_seed(0)
    generator = DCGANGenerator(latent_dim=64, image_size=28, channels=(64, 32))
    weights = torch.cat([m.weight.flatten() for m in generator.modules()
                         if isinstance(m, (torch.nn.Linear, torch.nn.ConvTranspose2d))])
    assert weights.std().item() == pytest.approx(0.02, rel=0.05)


def test_conditional_players_embed_the_labels_with_the_documented_shapes():
    generator = ConditionalGenerator(num_classes=10, latent_dim=8, embedding_dim=5, image_size=28, channels=(8, 4))
    assert generator.embedding.weight.shape == (10, 5)
    assert generator.generator.latent_dim == 8 + 5   # the DCGAN generator sees [z, e_y]
    labels = torch.tensor([0, 3, 9])
    images = generator(torch.randn(3, 8), labels)
    assert images.shape == (3, 1, 28, 28)
    assert generator.sample(labels).shape == (3, 1, 28, 28)
    discriminator = ConditionalDiscriminator(num_classes=10, image_size=28, channels=(8, 4))
    assert discriminator.embedding.weight.shape == (10, 28 * 28)  # one 28 x 28 label map per class
    assert discriminator.discriminator.in_channels == 2           # image + label map
    assert discriminator(images, labels).shape == (3,)


def test_the_conditional_discriminator_depends_on_the_label():
    torch.manual_seed(0)
    discriminator = ConditionalDiscriminator(num_classes=3, image_size=8, channels=(4,))
    discriminator.eval()
    x = torch.randn(2, 1, 8, 8)
    assert not torch.allclose(discriminator(x, torch.tensor([0, 0])), discriminator(x, torch.tensor([1, 1])))


@pytest.mark.parametrize("call, error, message", [
    (lambda: Generator(latent_dim=0), ValueError, "latent_dim to be a positive integer; got 0"),
    (lambda: Generator(output_activation="relu"), ValueError, "output_activation to be one of None, 'tanh', 'sigmoid'"),
    (lambda: Generator(latent_dim=2)(torch.zeros(4, 3)), ValueError, r"expects z of shape \(N, 2\); got shape \(4, 3\)"),
    (lambda: Discriminator(2, minibatch_std="yes"), TypeError, "minibatch_std to be True or False"),
    (lambda: Discriminator(2)(np.zeros((3, 2))), TypeError, "x to be a torch tensor"),
    (lambda: DCGANGenerator(image_size=14, channels=(32, 16)), ValueError,
     r"image_size divisible by 2\^len\(channels\) = 4.*got image_size=14"),
    (lambda: DCGANDiscriminator(image_size=28)(torch.zeros(2, 784)), ValueError,
     r"x of shape \(N, 1, 28, 28\); got shape \(2, 784\)\. Reshape flat images"),
    (lambda: ConditionalGenerator(num_classes=10, latent_dim=4, channels=(4,), image_size=8)(
        torch.zeros(2, 4), torch.tensor([1, 10])), ValueError, r"labels in \[0, 10\); got values from 1 to 10"),
    (lambda: ConditionalGenerator(num_classes=10, latent_dim=4, channels=(4,), image_size=8)(
        torch.zeros(2, 4), torch.tensor([1.0, 2.0])), ValueError, "labels of shape \\(N,\\) holding integer classes"),
    (lambda: ConditionalDiscriminator(num_classes=10, image_size=8, channels=(4,))(
        torch.zeros(3, 1, 8, 8), torch.tensor([1, 2])), ValueError, "one label per example: 3 examples, 2 labels"),
])
def test_players_reject_bad_arguments_and_inputs(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ------------------------------------------------------------------------------ training
def _gaussian_data(n=512, mean=3.0, std=0.5, seed=0):
    return np.random.default_rng(seed).normal(mean, std, size=(n, 1)).astype(np.float32)


@pytest.fixture
def one_thread():
    """GAN runs are compared bit for bit; one thread also avoids oversubscribing a busy machine."""
    with dlcourse.config.one_thread():
        yield


@pytest.mark.slow
def test_train_gan_moves_the_generator_mean_toward_the_data_and_repeats_exactly(one_thread):
    X = _gaussian_data()
    runs = []
    for _ in range(2):
        dlcourse.seed_everything(0)
        generator = Generator(latent_dim=1, output_dim=1, hidden=(16,))
        discriminator = Discriminator(input_dim=1, hidden=(16,))
        start = generator.sample(1000, torch.Generator().manual_seed(0)).mean().item()
        history = train_gan(generator, discriminator, X, steps=300, batch_size=64, lr=5e-3, k=2,
                            live=False, progress=False)
        end = generator.sample(1000, torch.Generator().manual_seed(0)).mean().item()
        runs.append((start, end, history))
    start, end, history = runs[0]
    assert abs(start - 3.0) > 2.0 and abs(end - 3.0) < 0.5, (start, end)
    assert set(history) == {"d_loss", "g_loss", "d_real", "d_fake"}
    assert all(len(values) == 300 for values in history.values())
    assert all(0 <= v <= 1 for v in history["d_real"] + history["d_fake"])
    assert runs[1][2] == history and runs[1][1] == end
    assert not generator.training and not discriminator.training


def test_train_gan_runs_k_discriminator_steps_per_generator_step_and_calls_back(one_thread):
    X = _gaussian_data(n=64)
    dlcourse.seed_everything(0)
    generator, discriminator = Generator(1, 1, hidden=(4,)), Discriminator(1, hidden=(4,))
    calls = []
    original_forward = discriminator.forward
    counted = []
    discriminator.forward = lambda x: counted.append(len(x)) or original_forward(x)
    train_gan(generator, discriminator, X, steps=3, batch_size=8, k=4, live=False, progress=False,
              callback=lambda step, g, d: calls.append((step, g is generator, d is discriminator)))
    assert calls == [(1, True, True), (2, True, True), (3, True, True)]
    assert len(counted) == 3 * (4 * 2 + 1)  # per step: k times (real, fake) for D, one fake batch for G


def test_train_gan_trains_conditional_players_and_uses_the_labels(one_thread):
    torch.manual_seed(0)
    X = torch.rand(32, 1, 8, 8) * 2 - 1
    y = torch.arange(32) % 3
    generator = ConditionalGenerator(num_classes=3, latent_dim=4, embedding_dim=3, image_size=8, channels=(4,))
    discriminator = ConditionalDiscriminator(num_classes=3, image_size=8, channels=(4,))
    before = generator.embedding.weight.clone()
    history = train_gan(generator, discriminator, X, labels=y, steps=2, batch_size=8, live=False, progress=False)
    assert len(history["g_loss"]) == 2
    assert not torch.equal(before, generator.embedding.weight)  # the label table learns


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(steps=0), ValueError, "steps to be a positive integer; got 0"),
    (dict(steps=1, k=0), ValueError, "k to be a positive integer; got 0"),
    (dict(steps=1, smoothing=-0.1), ValueError, r"smoothing to be a number in \[0, 1\)"),
    (dict(steps=1, lr=0), ValueError, "lr to be a positive learning rate"),
    (dict(steps=1, labels=np.zeros(16, dtype=int)), ValueError, "got labels but the players are not conditional"),
    (dict(steps=1, callback="print"), TypeError, "callback to be a function"),
])
def test_train_gan_rejects_bad_settings(kwargs, error, message):
    generator, discriminator = Generator(1, 1, hidden=(4,)), Discriminator(1, hidden=(4,))
    with pytest.raises(error, match=message):
        train_gan(generator, discriminator, _gaussian_data(n=16), live=False, progress=False, **kwargs)


def test_train_gan_rejects_mismatched_players_and_data():
    generator, discriminator = Generator(1, 2, hidden=(4,)), Discriminator(2, hidden=(4,))
    with pytest.raises(ValueError, match=r"shaped like the generator's samples, \(2,\); got X of shape \(16, 1\)"):
        train_gan(generator, discriminator, _gaussian_data(n=16), steps=1, live=False, progress=False)
    with pytest.raises(ValueError, match=r"shape \(N, \.\.\.\) with N >= 1 examples"):
        train_gan(generator, discriminator, np.zeros(16), steps=1, live=False, progress=False)
    with pytest.raises(TypeError, match="latent_dim attribute"):
        train_gan(torch.nn.Linear(2, 2), discriminator, np.zeros((16, 2)), steps=1, live=False, progress=False)
    conditional = ConditionalGenerator(num_classes=2, latent_dim=2, image_size=8, channels=(4,))
    with pytest.raises(TypeError, match="both players conditional"):
        train_gan(conditional, DCGANDiscriminator(image_size=8, channels=(4,)), np.zeros((4, 1, 8, 8)), steps=1,
                  live=False, progress=False)
    with pytest.raises(ValueError, match="needs labels"):
        train_gan(conditional, ConditionalDiscriminator(num_classes=2, image_size=8, channels=(4,)),
                  np.zeros((4, 1, 8, 8)), steps=1, live=False, progress=False)


# ------------------------------------------------------------------------------ evaluation and plots
def test_mode_coverage_counts_samples_within_three_standard_deviations_of_the_nearest_mode():
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    samples = np.array([[0.1, 0.0], [0.0, -0.25], [10.0, 0.31], [5.0, 5.0]])
    coverage = mode_coverage(samples, centres, std=0.1)  # 3 std = 0.3
    np.testing.assert_allclose(coverage, [0.5, 0.0, 0.0])
    ring = dlcourse.datasets.gaussian_ring(n=4000, std=0.02, seed=0)
    angles = 2 * np.pi * np.arange(8) / 8
    ring_centres = 2 * np.column_stack([np.cos(angles), np.sin(angles)])
    coverage = mode_coverage(ring, ring_centres, std=0.02)
    assert (coverage > 0.11).all() and coverage.sum() > 0.98  # real data covers every mode


def test_mode_coverage_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r"samples \(N, d\) and centres \(K, d\) with the same d"):
        mode_coverage(np.zeros((5, 2)), np.zeros((3, 3)), std=0.1)
    with pytest.raises(ValueError, match="std to be a positive standard deviation"):
        mode_coverage(np.zeros((5, 2)), np.zeros((3, 2)), std=0.0)


def test_plot_density_1d_draws_densities_and_the_discriminator_on_a_second_axis():
    grid = np.linspace(-3, 3, 101)
    p = np.exp(-grid ** 2 / 2) / np.sqrt(2 * np.pi)
    ax = plot_density_1d(grid, p, p_model=p, model_samples=np.zeros(10), discriminator=np.full(101, 0.5), title="t")
    assert len(ax.figure.axes) == 2 and ax.get_title() == "t"
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == ["$p^*$ (data)", "$p_G$ (model)", "G(z) samples", "D(x)"]
    with pytest.raises(ValueError, match=r"discriminator of shape \(101,\)"):
        plot_density_1d(grid, p, discriminator=np.zeros(5))
    plt.close("all")


def test_plot_samples_2d_scatters_each_given_set():
    ax = plot_samples_2d(np.zeros((5, 2)), torch.ones(3, 2), centres=np.ones((2, 2)), limit=3)
    assert [c.get_offsets().shape[0] for c in ax.collections] == [5, 3, 2]
    assert ax.get_xlim() == (-3, 3)
    with pytest.raises(ValueError, match=r"generated points of shape \(N, 2\); got shape \(3,\)"):
        plot_samples_2d(fake=np.zeros(3))
    plt.close("all")


# ---------------------------------------------------------------------------- InfoGAN
def test_infogan_players_have_the_documented_shapes_and_the_code_changes_the_sample():
    torch.manual_seed(0)
    generator = InfoGANGenerator(num_codes=5, latent_dim=3, image_size=8, channels=(4,)).eval()
    z = torch.randn(6, 3)
    images = generator(z, torch.arange(6) % 5)
    assert images.shape == (6, 1, 8, 8)
    assert generator.generator.latent_dim == 3 + 5           # z and the one-hot code
    other = generator(z, (torch.arange(6) + 1) % 5)
    assert not torch.allclose(images, other)                 # same z, other code: another image
    assert generator.sample(torch.tensor([0, 4])).shape == (2, 1, 8, 8)
    discriminator = InfoGANDiscriminator(num_codes=5, image_size=8, channels=(4,), q_hidden=7)
    logits, code_logits = discriminator(images)
    assert logits.shape == (6,) and code_logits.shape == (6, 5)


def test_infogan_q_head_shares_the_discriminator_body():
    discriminator = InfoGANDiscriminator(num_codes=3, image_size=8, channels=(4,))
    _, code_logits = discriminator(torch.randn(2, 1, 8, 8))
    code_logits.sum().backward()
    assert all(p.grad is not None for p in discriminator.features.parameters())   # Q's gradient reaches the body
    assert discriminator.classify.weight.grad is None                             # but not D's own head


def test_mutual_information_loss_is_the_cross_entropy_of_the_code_and_bounds_l_i():
    torch.manual_seed(0)
    code_logits, codes = torch.randn(9, 10), torch.randint(10, (9,))
    loss = mutual_information_loss(code_logits, codes)
    torch.testing.assert_close(loss, F.cross_entropy(code_logits, codes))
    by_hand = -torch.log_softmax(code_logits, dim=1)[torch.arange(9), codes].mean()
    torch.testing.assert_close(loss, by_hand)
    certain = 100.0 * F.one_hot(codes, 10).float()           # Q sure of the right code: L_I = log 10 - loss = H(c)
    assert math.log(10) - mutual_information_loss(certain, codes).item() == pytest.approx(math.log(10), abs=1e-6)
    uniform = torch.zeros(9, 10)                             # Q guessing: L_I = 0
    assert math.log(10) - mutual_information_loss(uniform, codes).item() == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("call, error, message", [
    (lambda: mutual_information_loss(torch.zeros(4), torch.zeros(4, dtype=torch.long)), ValueError,
     r"code_logits of shape \(N, K\)"),
    (lambda: mutual_information_loss(torch.zeros(4, 3), torch.tensor([0, 1, 2, 3])), ValueError, r"labels in \[0, 3\)"),
    (lambda: InfoGANGenerator(num_codes=1), ValueError, "num_codes to be an integer >= 2"),
    (lambda: train_infogan(InfoGANGenerator(3, 2, image_size=8, channels=(4,)),
                           InfoGANDiscriminator(4, image_size=8, channels=(4,)), torch.zeros(4, 1, 8, 8), steps=1,
                           live=False, progress=False), ValueError, "same num_codes; got 3 .generator. and 4"),
    (lambda: train_infogan(InfoGANGenerator(3, 2, image_size=8, channels=(4,)),
                           InfoGANDiscriminator(3, image_size=8, channels=(4,)), torch.zeros(4, 1, 8, 8), steps=0,
                           live=False, progress=False), ValueError, "train_infogan expects steps to be a positive"),
    (lambda: train_infogan(Generator(1, 1), Discriminator(1), torch.zeros(4, 1), steps=1, live=False,
                           progress=False), TypeError, "generator to be an InfoGANGenerator"),
])
def test_infogan_rejects_bad_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_train_infogan_teaches_q_the_code_and_repeats_exactly(one_thread):
    X = torch.rand(64, 1, 8, 8) * 2 - 1
    runs = []
    for _ in range(2):
        dlcourse.seed_everything(0)
        generator = InfoGANGenerator(num_codes=3, latent_dim=2, image_size=8, channels=(8,))
        discriminator = InfoGANDiscriminator(num_codes=3, image_size=8, channels=(8,))
        history = train_infogan(generator, discriminator, X, steps=60, batch_size=16, lr=5e-3, info_weight=1.0,
                                live=False, progress=False)
        runs.append(history)
    history = runs[0]
    assert set(history) == {"d_loss", "g_loss", "info_loss"} and len(history["info_loss"]) == 60
    assert history["info_loss"][0] > 0.9 * math.log(3)                  # Q starts guessing
    assert np.mean(history["info_loss"][-10:]) < 0.3 * math.log(3)     # and learns to read the code
    assert runs[1] == history
    assert not generator.training and not discriminator.training


# ------------------------------------------------------------------- virtual batch norm
def test_virtual_batch_norm_output_does_not_depend_on_the_batch_companions():
    torch.manual_seed(0)
    vbn, reference = VirtualBatchNorm(5), torch.randn(16, 5)
    h = torch.randn(1, 5)
    with_some, _ = vbn(torch.cat([h, torch.randn(7, 5)]), reference)
    with_others, _ = vbn(torch.cat([h, 10 + torch.randn(3, 5)]), reference)
    assert torch.equal(with_some[0], with_others[0])
    bn = torch.nn.BatchNorm1d(5)                                          # batch norm, training mode: it does
    assert (bn(torch.cat([h, torch.randn(7, 5)]))[0] - bn(torch.cat([h, 10 + torch.randn(3, 5)]))[0]).abs().max() > 0.1


@pytest.mark.parametrize("shape", [(4, 3), (4, 3, 5, 5)])
def test_virtual_batch_norm_is_batch_norm_over_the_reference_batch_plus_the_example(shape):
    torch.manual_seed(1)
    vbn = VirtualBatchNorm(3)
    with torch.no_grad():
        vbn.weight.copy_(torch.tensor([1.0, 2.0, 0.5]))
        vbn.bias.copy_(torch.tensor([0.0, -1.0, 3.0]))
    reference, h = 2 + 3 * torch.randn(10, *shape[1:]), torch.randn(*shape)
    out, reference_out = vbn(h, reference)
    for i in range(len(h)):
        batch = torch.cat([reference, h[i:i + 1]])                        # the R + 1 examples
        expected = F.batch_norm(batch, None, None, vbn.weight, vbn.bias, training=True, eps=vbn.eps)[-1]
        torch.testing.assert_close(out[i], expected, atol=1e-5, rtol=1e-5)
    expected_reference = F.batch_norm(reference, None, None, vbn.weight, vbn.bias, training=True, eps=vbn.eps)
    torch.testing.assert_close(reference_out, expected_reference, atol=1e-5, rtol=1e-5)
    assert out.shape == h.shape


def test_virtual_batch_norm_rejects_mismatched_inputs():
    vbn = VirtualBatchNorm(3)
    with pytest.raises(ValueError, match=r"h of shape \(N, 3\) or \(N, 3, H, W\); got shape \(4, 2\)"):
        vbn(torch.zeros(4, 2), torch.zeros(4, 3))
    with pytest.raises(ValueError, match="same shape after the batch axis"):
        vbn(torch.zeros(4, 3, 2, 2), torch.zeros(4, 3, 3, 3))
    with pytest.raises(TypeError, match="reference to be a torch tensor"):
        vbn(torch.zeros(4, 3), [[0.0] * 3])


# ------------------------------------------------------------------- the exception rule
@pytest.mark.parametrize("call, message", [
    (lambda: Generator(latent_dim=2.0), "latent_dim to be a positive integer; got 2.0"),
    (lambda: Generator(hidden="64"), "hidden to be a tuple of layer widths"),
    (lambda: DCGANGenerator(image_size="28"), "image_size to be a positive integer"),
    (lambda: ConditionalGenerator(num_classes=10, latent_dim=4, channels=(4,), image_size=8)(
        torch.zeros(2, 4), "ab"), "labels to be a tensor or array of integer classes"),
    (lambda: discriminator_loss(torch.zeros(3), torch.zeros(3), smoothing="0.1"), "smoothing to be a number in"),
    (lambda: train_gan(Generator(1, 1, hidden=(4,)), Discriminator(1, hidden=(4,)), _gaussian_data(n=16),
                       steps=1.5, live=False, progress=False), "steps to be a positive integer; got 1.5"),
    (lambda: train_gan(Generator(1, 1, hidden=(4,)), Discriminator(1, hidden=(4,)), _gaussian_data(n=16),
                       steps=1, lr="fast", live=False, progress=False), "lr to be a positive learning rate"),
    (lambda: train_gan(Generator(1, 1, hidden=(4,)), "D", _gaussian_data(n=16), steps=1, live=False,
                       progress=False), "discriminator to be a torch.nn.Module; got str"),
    (lambda: mode_coverage(np.zeros((5, 2)), np.zeros((3, 2)), std="0.1"), "std to be a positive standard deviation"),
    (lambda: plot_samples_2d(np.zeros((5, 2)), limit="3"), "limit to be a positive number"),
])
def test_arguments_of_the_wrong_type_raise_type_error(call, message):
    with pytest.raises(TypeError, match=message):
        call()
    plt.close("all")


@pytest.mark.parametrize("call, message", [
    (lambda: Generator(latent_dim=0), "latent_dim to be a positive integer; got 0"),
    (lambda: DCGANGenerator(channels=()), "channels to be a tuple of layer widths such as \\(32, 16\\), at least 1"),
    (lambda: discriminator_loss(torch.zeros(3), torch.zeros(3), smoothing=1.0), "smoothing to be a number in"),
    (lambda: train_gan(Generator(1, 1, hidden=(4,)), Discriminator(1, hidden=(4,)), _gaussian_data(n=16),
                       steps=1, batch_size=0, live=False, progress=False), "batch_size to be a positive integer"),
    (lambda: train_gan(Generator(1, 1, hidden=(4,)), Discriminator(1, hidden=(4,)), _gaussian_data(n=16),
                       steps=1, lr_d=-1e-3, live=False, progress=False), "lr_d to be a positive learning rate"),
    (lambda: mode_coverage(np.zeros((5, 2)), np.zeros((3, 2)), std=-0.1), "std to be a positive standard deviation"),
    (lambda: plot_samples_2d(np.zeros((5, 2)), limit=0), "limit to be a positive number"),
])
def test_arguments_of_the_right_type_but_a_wrong_value_raise_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
    plt.close("all")
