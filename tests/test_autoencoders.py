"""Lecture 10's models: dlcourse.models.autoencoder (plain, denoising, sparse), .vae (the VAE and its loss),
.rbm (the RBM with CD-k, the deep belief net) and .channel_autoencoder (over an AWGN channel, with the
Hamming (7,4) baseline); the convolutional autoencoder too."""
import itertools
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import dlcourse
from dlcourse.models.autoencoder import Autoencoder, ConvAutoencoder, corrupt, kl_sparsity_penalty, train_autoencoder
from dlcourse.models.channel_autoencoder import (HAMMING74_PARITY_CHECK, ChannelAutoencoder, hamming74_block_error_rate,
                                                 hamming74_decode, hamming74_encode, train_channel_autoencoder)
from dlcourse.models.rbm import RBM, DeepBeliefNet
from dlcourse.models.vae import VAE, gaussian_kl, train_vae, vae_loss


def _low_rank_data(n=256, dim=20, rank=3, seed=0):
    """Points in [0, 1]^dim near a rank-3 subspace: easy to compress into a small code."""
    rng = np.random.default_rng(seed)
    codes = rng.normal(size=(n, rank))
    mixing = rng.normal(size=(rank, dim))
    return (1 / (1 + np.exp(-codes @ mixing))).astype(np.float32)


# ------------------------------------------------------------------------------ Autoencoder
def test_autoencoder_encodes_to_the_code_size_and_reconstructs_in_the_unit_interval():
    torch.manual_seed(0)
    model = Autoencoder(784, 16, hidden=(64, 32))
    x = torch.rand(5, 784)
    assert model.encode(x).shape == (5, 16)
    x_hat = model(x)
    assert x_hat.shape == (5, 784)
    assert x_hat.min() >= 0 and x_hat.max() <= 1
    widths = [layer.out_features for layer in model.modules() if isinstance(layer, torch.nn.Linear)]
    assert widths == [64, 32, 16, 32, 64, 784]  # the decoder mirrors the encoder


def test_autoencoder_without_hidden_layers_is_the_one_layer_autoencoder_of_the_lecture():
    model = Autoencoder(10, 4, code_activation="sigmoid")
    assert [type(m).__name__ for m in model.encoder] == ["Linear", "Sigmoid"]
    assert [type(m).__name__ for m in model.decoder] == ["Linear", "Sigmoid"]


def test_autoencoder_rejects_images_and_says_to_flatten_them():
    model = Autoencoder(784, 8)
    with pytest.raises(ValueError, match=r"expects x of shape \(N, 784\); got shape \(2, 1, 28, 28\).*Flatten"):
        model(torch.rand(2, 1, 28, 28))
    with pytest.raises(TypeError, match="expects x to be a torch tensor"):
        model(np.zeros((2, 784), dtype=np.float32))


@pytest.mark.parametrize("kwargs, message", [
    (dict(input_dim=0, code_dim=4), "input_dim to be a positive integer; got 0"),
    (dict(input_dim=10, code_dim=4, activation="softmax"), "activations to be one of 'relu', 'sigmoid', 'tanh'"),
    (dict(input_dim=10, code_dim=4, hidden="wide"), r"hidden to be a tuple of layer widths such as \(256,\)"),
])
def test_autoencoder_rejects_bad_arguments(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        Autoencoder(**kwargs)


def test_train_autoencoder_lowers_the_reconstruction_error_and_repeats_exactly():
    X = _low_rank_data()
    runs = []
    for _ in range(2):
        dlcourse.seed_everything(0)
        model = Autoencoder(20, 3, hidden=(16,))
        runs.append(train_autoencoder(model, X, epochs=15, batch_size=32, lr=1e-2, X_val=X[:64],
                                      live=False, progress=False))
    history = runs[0]
    assert set(history) == {"loss", "reconstruction", "val_mse"}
    assert history["loss"][-1] < 0.3 * history["loss"][0]
    assert history == runs[1]


def test_train_autoencoder_denoises_with_corrupted_inputs_and_clean_targets():
    X = _low_rank_data()
    dlcourse.seed_everything(0)
    model = Autoencoder(20, 3, hidden=(16,))
    history = train_autoencoder(model, X, epochs=20, batch_size=32, lr=1e-2, corruption="mask", noise_level=0.3,
                                live=False, progress=False)
    clean = torch.tensor(X)
    noisy = corrupt(clean, "mask", 0.3, torch.Generator().manual_seed(5))
    with torch.no_grad():
        repaired = F.mse_loss(model(noisy), clean).item()
    assert history["reconstruction"][-1] < history["reconstruction"][0]
    assert repaired < F.mse_loss(noisy, clean).item()  # closer to the clean data than the corrupted input is


def test_sparse_training_pulls_the_mean_code_activation_towards_rho():
    X = _low_rank_data(n=512)
    means = {}
    for beta in (0.0, 0.05):
        dlcourse.seed_everything(0)
        model = Autoencoder(20, 30, code_activation="sigmoid")
        history = train_autoencoder(model, X, epochs=30, batch_size=64, lr=1e-2, sparsity_weight=beta,
                                    sparsity_target=0.05, live=False, progress=False)
        with torch.no_grad():
            means[beta] = model.encode(torch.tensor(X)).mean().item()
    assert "sparsity" in history and history["sparsity"][-1] < history["sparsity"][0]
    assert means[0.05] < 0.15 < means[0.0]


def test_sparse_training_needs_a_sigmoid_code():
    with pytest.raises(ValueError, match="needs a code in \\(0, 1\\).*code_activation='sigmoid'; got code_activation=None"):
        train_autoencoder(Autoencoder(20, 4), _low_rank_data(), epochs=1, sparsity_weight=0.1, progress=False)


@pytest.mark.parametrize("kwargs, message", [
    (dict(epochs=0), "epochs to be a positive integer; got 0"),
    (dict(epochs=1, corruption="salt"), "corruption to be one of None, 'mask', 'gaussian'; got 'salt'"),
])
def test_train_autoencoder_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        train_autoencoder(Autoencoder(20, 4), _low_rank_data(), progress=False, **kwargs)


def test_train_autoencoder_rejects_data_of_the_wrong_width():
    with pytest.raises(ValueError, match=r"expects X of shape \(N, 784\); got shape \(256, 20\)"):
        train_autoencoder(Autoencoder(784, 4), _low_rank_data(), epochs=1, progress=False)


# --------------------------------------------------------------------------------- corrupt
def test_masking_noise_zeroes_about_the_given_fraction_and_keeps_the_rest():
    x = torch.rand(200, 50) + 0.5
    x_tilde = corrupt(x, "mask", 0.3, torch.Generator().manual_seed(0))
    zeroed = (x_tilde == 0).float().mean().item()
    assert abs(zeroed - 0.3) < 0.02
    kept = x_tilde != 0
    assert torch.equal(x_tilde[kept], x[kept])


def test_gaussian_noise_is_clipped_to_the_pixel_range():
    x_tilde = corrupt(torch.rand(100, 30), "gaussian", 0.5, torch.Generator().manual_seed(0))
    assert x_tilde.min() == 0 and x_tilde.max() == 1


@pytest.mark.parametrize("kind, level, message", [
    ("mask", 1.5, "level to be a probability in \\[0, 1\\]; got 1.5"),
    ("mask", -0.1, "level to be a non-negative number"),
    ("blur", 0.1, "kind to be one of 'mask', 'gaussian'; got 'blur'"),
])
def test_corrupt_rejects_bad_arguments(kind, level, message):
    with pytest.raises(ValueError, match=message):
        corrupt(torch.rand(2, 3), kind, level)


# ---------------------------------------------------------------------- kl_sparsity_penalty
def test_kl_sparsity_penalty_matches_the_bernoulli_kl_formula_and_torch():
    rho, rho_hat = 0.05, torch.tensor([0.01, 0.05, 0.2, 0.5, 0.9], dtype=torch.float64)
    manual = sum(rho * math.log(rho / r) + (1 - rho) * math.log((1 - rho) / (1 - r)) for r in rho_hat.tolist())
    by_torch = torch.distributions.kl_divergence(torch.distributions.Bernoulli(probs=torch.full_like(rho_hat, rho)),
                                                 torch.distributions.Bernoulli(probs=rho_hat)).sum()
    penalty = kl_sparsity_penalty(rho_hat, rho)
    assert penalty.ndim == 0
    assert math.isclose(penalty.item(), manual, rel_tol=1e-12)
    assert torch.allclose(penalty, by_torch)


def test_kl_sparsity_penalty_of_one_unit_at_rho_hat_one_half():
    # 0.05 log(0.05 / 0.5) + 0.95 log(0.95 / 0.5) = 0.05 log 0.1 + 0.95 log 1.9
    assert math.isclose(kl_sparsity_penalty([0.5], 0.05).item(), 0.05 * math.log(0.1) + 0.95 * math.log(1.9))


@pytest.mark.parametrize("rho", [0.01, 0.05, 0.3])
def test_kl_sparsity_penalty_is_zero_exactly_at_rho_hat_equal_rho(rho):
    assert abs(kl_sparsity_penalty(torch.full((7,), rho, dtype=torch.float64), rho).item()) < 1e-12
    assert kl_sparsity_penalty(torch.full((7,), rho + 0.01, dtype=torch.float64), rho).item() > 0


def test_kl_sparsity_penalty_gradient_pushes_rho_hat_towards_rho():
    rho_hat = torch.tensor([0.01, 0.3], requires_grad=True)
    kl_sparsity_penalty(rho_hat, 0.05).backward()
    assert rho_hat.grad[0] < 0 < rho_hat.grad[1]  # gradient descent raises the first, lowers the second


def test_kl_sparsity_penalty_stays_finite_for_dead_and_saturated_units():
    assert math.isfinite(kl_sparsity_penalty(torch.tensor([0.0, 1.0]), 0.05).item())


@pytest.mark.parametrize("rho_hat, rho, message", [
    (torch.rand(8, 4), 0.05, r"rho_hat of shape \(H,\).*got shape \(8, 4\).*a.mean\(dim=0\)"),
    (torch.tensor([0.2, 1.5]), 0.05, r"rho_hat in \[0, 1\].*got values from 0.2 to 1.5"),
    (torch.tensor([0.2]), 0.0, "rho to be a target activation strictly between 0 and 1; got 0.0"),
    (torch.tensor([0.2]), 1, "rho to be a target activation strictly between 0 and 1; got 1"),
])
def test_kl_sparsity_penalty_rejects_bad_input(rho_hat, rho, message):
    with pytest.raises(ValueError, match=message):
        kl_sparsity_penalty(rho_hat, rho)


# ------------------------------------------------------------------------------------- VAE
def test_vae_returns_reconstruction_mean_and_log_variance_of_the_right_shapes():
    torch.manual_seed(0)
    vae = VAE(input_dim=30, latent_dim=3, hidden=(16,))
    x_hat, mu, log_var = vae(torch.rand(4, 30))
    assert x_hat.shape == (4, 30) and mu.shape == (4, 3) and log_var.shape == (4, 3)
    assert x_hat.min() >= 0 and x_hat.max() <= 1
    samples = vae.sample(6, generator=torch.Generator().manual_seed(0))
    assert samples.shape == (6, 30) and not samples.requires_grad


def test_reparameterisation_gradient_flows_to_mu_and_log_var():
    mu = torch.tensor([[0.5, -1.0, 2.0]], requires_grad=True)
    log_var = torch.tensor([[0.0, -2.0, 1.0]], requires_grad=True)
    z = VAE.reparameterize(mu, log_var, torch.Generator().manual_seed(0))
    eps = torch.randn(1, 3, generator=torch.Generator().manual_seed(0))  # the same draw
    assert torch.allclose(z, mu + torch.exp(0.5 * log_var) * eps)
    z.sum().backward()
    assert torch.equal(mu.grad, torch.ones_like(mu))                          # dz/dmu = 1
    assert torch.allclose(log_var.grad, 0.5 * torch.exp(0.5 * log_var) * eps)  # dz/dlog_var = sigma eps / 2


def test_reparameterised_samples_have_the_encoder_mean_and_standard_deviation():
    mu, log_var = torch.full((20000, 2), 1.5), torch.log(torch.full((20000, 2), 0.25))
    z = VAE.reparameterize(mu, log_var, torch.Generator().manual_seed(0))
    assert torch.allclose(z.mean(dim=0), torch.tensor([1.5, 1.5]), atol=0.02)
    assert torch.allclose(z.std(dim=0), torch.tensor([0.5, 0.5]), atol=0.02)


def test_vae_encoder_gradient_flows_through_the_sample():
    torch.manual_seed(0)
    vae = VAE(input_dim=12, latent_dim=2, hidden=(8,))
    x = torch.rand(5, 12)
    x_hat, mu, log_var = vae(x, torch.Generator().manual_seed(0))
    F.binary_cross_entropy(x_hat, x).backward()  # the reconstruction term alone reaches the encoder via z
    assert vae.mu.weight.grad.abs().sum() > 0 and vae.log_var.weight.grad.abs().sum() > 0


def test_gaussian_kl_matches_torch_distributions():
    generator = torch.Generator().manual_seed(0)
    mu, log_var = torch.randn(6, 4, generator=generator, dtype=torch.float64), \
        torch.randn(6, 4, generator=generator, dtype=torch.float64)
    q = torch.distributions.Normal(mu, torch.exp(0.5 * log_var))
    prior = torch.distributions.Normal(torch.zeros_like(mu), torch.ones_like(mu))
    expected = torch.distributions.kl_divergence(q, prior).sum(dim=1)
    assert torch.allclose(gaussian_kl(mu, log_var), expected, rtol=1e-12, atol=1e-12)
    assert torch.equal(gaussian_kl(torch.zeros(3, 2), torch.zeros(3, 2)), torch.zeros(3))  # q = prior


def test_vae_loss_is_summed_bce_plus_kl_averaged_over_the_batch():
    generator = torch.Generator().manual_seed(0)
    x = torch.rand(4, 10, generator=generator, dtype=torch.float64)
    x_hat = torch.rand(4, 10, generator=generator, dtype=torch.float64) * 0.98 + 0.01
    mu, log_var = torch.randn(4, 3, generator=generator, dtype=torch.float64), \
        torch.randn(4, 3, generator=generator, dtype=torch.float64)
    bce = -(x * torch.log(x_hat) + (1 - x) * torch.log(1 - x_hat)).sum(dim=1)  # (4,)
    kl = -0.5 * (1 + log_var - mu ** 2 - torch.exp(log_var)).sum(dim=1)        # (4,)
    assert torch.allclose(vae_loss(x_hat, x, mu, log_var), (bce + kl).mean())
    assert torch.allclose(vae_loss(x_hat, x, mu, log_var, beta=3.0), (bce + 3.0 * kl).mean())


@pytest.mark.parametrize("shapes, message", [
    (((4, 10), (4, 9), (4, 2), (4, 2)), r"x_hat and x of the same shape \(N, D\); got \(4, 10\) and \(4, 9\)"),
    (((4, 10), (4, 10), (4, 2), (4, 3)), r"mu and log_var of the same shape \(N, D\); got \(4, 2\) and \(4, 3\)"),
    (((4, 10), (4, 10), (3, 2), (3, 2)), "one \\(mu, log_var\\) row per example: x has 4 rows, mu has 3"),
])
def test_vae_loss_rejects_mismatched_shapes(shapes, message):
    x_hat, x, mu, log_var = (torch.rand(*shape) for shape in shapes)
    with pytest.raises(ValueError, match=message):
        vae_loss(x_hat, x, mu, log_var)


def test_train_vae_lowers_the_negative_elbo_and_repeats_exactly():
    X = _low_rank_data(n=256, dim=30)
    runs = []
    for _ in range(2):
        dlcourse.seed_everything(0)
        vae = VAE(input_dim=30, latent_dim=2, hidden=(32,))
        runs.append(train_vae(vae, X, epochs=10, batch_size=32, lr=5e-3, X_val=X[:50], live=False, progress=False))
    history = runs[0]
    assert set(history) == {"loss", "reconstruction", "kl", "val_loss"}
    assert history["loss"][-1] < history["loss"][0]
    assert all(math.isclose(r + k, total, rel_tol=1e-5) for r, k, total in
               zip(history["reconstruction"], history["kl"], history["loss"]))
    assert history == runs[1]


def test_train_vae_rejects_data_outside_the_unit_interval():
    with pytest.raises(ValueError, match=r"expects X in \[0, 1\].*got values from -1 to"):
        train_vae(VAE(input_dim=3, latent_dim=2, hidden=()), np.array([[-1.0, 0.5, 0.2]]), epochs=1, progress=False)


# ------------------------------------------------------------------------------------- RBM
def _all_binary(n):
    return np.array(list(itertools.product([0, 1], repeat=n)), dtype=np.float32)


def _tiny_rbm(seed=0, scale=1.0):
    rbm = RBM(n_visible=4, n_hidden=3, k=1, lr=0.1, seed=seed)
    rng = np.random.default_rng(seed + 100)
    rbm.W = rng.normal(0, scale, size=(4, 3)).astype(np.float32)
    rbm.b = rng.normal(0, 0.5, size=4).astype(np.float32)
    rbm.c = rng.normal(0, 0.5, size=3).astype(np.float32)
    return rbm


def _exact_log_likelihood_and_gradient(rbm, data):
    """Mean log p(v) over data and its exact gradient, by enumerating all 2^4 visible states."""
    states = _all_binary(rbm.n_visible).astype(np.float64)
    W, b, c = (p.astype(np.float64) for p in (rbm.W, rbm.b, rbm.c))

    def free_energy(v):
        return -v @ b - np.logaddexp(0, v @ W + c).sum(axis=1)

    log_z = np.logaddexp.reduce(-free_energy(states))
    p_model = np.exp(-free_energy(states) - log_z)                          # (16,)
    ph_model = 1 / (1 + np.exp(-(states @ W + c)))
    ph_data = 1 / (1 + np.exp(-(data @ W + c)))
    gradient = {
        "W": data.T @ ph_data / len(data) - states.T @ (p_model[:, None] * ph_model),
        "b": data.mean(axis=0) - p_model @ states,
        "c": ph_data.mean(axis=0) - p_model @ ph_model,
    }
    return float(np.mean(-free_energy(data) - log_z)), gradient


def test_rbm_free_energy_equals_minus_log_sum_over_hidden_states():
    rbm = _tiny_rbm()
    v = _all_binary(4)
    hidden = _all_binary(3)
    for row in v:
        energies = rbm.energy(np.repeat(row[None], len(hidden), axis=0), hidden)
        assert np.isclose(rbm.free_energy(row[None])[0], -np.log(np.exp(-energies).sum()), atol=1e-5)


def test_rbm_hidden_conditional_matches_the_joint_distribution():
    rbm = _tiny_rbm()
    v = np.array([[1, 0, 1, 1]], dtype=np.float32)
    hidden = _all_binary(3)
    weights = np.exp(-rbm.energy(np.repeat(v, len(hidden), axis=0), hidden).astype(np.float64))
    p_h_given_v = weights / weights.sum()                                  # (8,)
    marginal = p_h_given_v @ hidden                                        # p(h_j = 1 | v)
    assert np.allclose(rbm.hidden_probabilities(v)[0], marginal, atol=1e-5)


def test_cd_with_a_long_chain_estimates_the_exact_log_likelihood_gradient():
    rbm = _tiny_rbm(scale=0.5)
    rbm.k = 20
    data = np.array([[1, 1, 0, 0], [0, 0, 1, 1], [1, 1, 1, 0]], dtype=np.float32)
    _, exact = _exact_log_likelihood_and_gradient(rbm, data.astype(np.float64))
    estimate = rbm.contrastive_divergence(np.repeat(data, 4000, axis=0))  # 12,000 chains
    for name in ("W", "b", "c"):
        assert np.allclose(estimate[name], exact[name], atol=0.02), name


def test_a_small_cd1_step_raises_the_exact_log_likelihood():
    data = np.array([[1, 1, 0, 0]] * 80 + [[1, 0, 1, 0]] * 20, dtype=np.float32)
    rbm = RBM(n_visible=4, n_hidden=3, k=1, lr=0.05, seed=0)
    before, exact = _exact_log_likelihood_and_gradient(rbm, data.astype(np.float64))
    gradient = rbm.step(data)
    after, _ = _exact_log_likelihood_and_gradient(rbm, data.astype(np.float64))
    assert after > before
    assert np.sum(gradient["W"] * exact["W"]) > 0  # the CD-1 direction points uphill


def test_rbm_cd1_lowers_the_reconstruction_error_on_toy_data():
    rng = np.random.default_rng(0)
    prototypes = np.array([[1] * 8 + [0] * 8, [0] * 8 + [1] * 8, [1, 0] * 8], dtype=np.float32)
    data = prototypes[rng.integers(0, 3, size=300)]
    data = np.abs(data - (rng.random(data.shape) < 0.05))  # flip 5% of the bits
    rbm = RBM(n_visible=16, n_hidden=6, k=1, lr=0.1, seed=0)
    history = rbm.fit(data, epochs=30, batch_size=20, progress=False)
    errors = history["reconstruction_error"]
    assert len(errors) == 31
    assert errors[-1] < 0.5 * errors[0]
    assert RBM(16, 6, seed=0).fit(data, epochs=30, batch_size=20, progress=False) == history  # same seed, same run


def test_cd_k_runs_k_gibbs_steps():
    data = np.ones((1, 4), dtype=np.float32)
    calls = []
    rbm = RBM(4, 3, k=3, seed=0)
    original = rbm.visible_probabilities
    rbm.visible_probabilities = lambda h: calls.append(1) or original(h)
    rbm.contrastive_divergence(data)
    assert len(calls) == 3


@pytest.mark.parametrize("v, message", [
    (np.zeros((2, 5)), r"expects v to be an array of shape \(N, 4\).*got shape \(2, 5\)"),
    (np.zeros(4), r"expects v to be an array of shape \(N, 4\).*got shape \(4,\)"),
    (np.full((1, 4), 2.0), r"visible values in \[0, 1\].*got values from 2 to 2"),
])
def test_rbm_rejects_bad_visible_data(v, message):
    with pytest.raises(ValueError, match=message):
        RBM(4, 3).free_energy(v)


@pytest.mark.parametrize("kwargs, message", [
    (dict(k=0), "k to be a positive integer; got 0"),
    (dict(lr=-0.1), "lr to be a positive learning rate; got -0.1"),
])
def test_rbm_rejects_bad_arguments(kwargs, message):
    arguments = dict(n_visible=4, n_hidden=3) | kwargs
    with pytest.raises(ValueError, match=message):
        RBM(**arguments)


# ----------------------------------------------------------------------- ChannelAutoencoder
def test_every_codeword_has_mean_energy_one_per_channel_symbol():
    torch.manual_seed(0)
    link = ChannelAutoencoder(k=4, n=7)
    for _ in range(2):
        x = link.encode(torch.arange(16))
        assert x.shape == (16, 7)
        assert torch.allclose((x ** 2).mean(dim=1), torch.ones(16), atol=1e-6)
        train_channel_autoencoder(link, steps=20, batch_size=64, progress=False)  # still true after training


def test_noise_standard_deviation_follows_the_rate_and_eb_n0():
    link = ChannelAutoencoder(k=4, n=7)
    for ebno_db in (0.0, 7.0):
        ebno = 10 ** (ebno_db / 10)
        assert math.isclose(link.noise_std(ebno_db) ** 2, 1 / (2 * (4 / 7) * ebno))
    x = torch.zeros(20000, 7)
    noise = link.channel(x, 3.0, torch.Generator().manual_seed(0))
    assert abs(noise.std().item() / link.noise_std(3.0) - 1) < 0.01


def test_channel_autoencoder_maps_messages_to_logits_and_bits_round_trip():
    link = ChannelAutoencoder(k=3, n=4)
    messages = torch.arange(8)
    assert link(messages, 5.0).shape == (8, 8)
    bits = link.messages_to_bits(messages)
    assert bits[5].tolist() == [1, 0, 1]  # most significant bit first
    assert torch.equal(link.bits_to_messages(bits), messages)


def test_training_lowers_the_block_error_rate():
    dlcourse.seed_everything(0)
    link = ChannelAutoencoder(k=2, n=2)
    untrained = link.block_error_rate(6.0, n_blocks=20000, seed=1)
    history = train_channel_autoencoder(link, steps=400, batch_size=128, ebno_db=6.0, lr=1e-2, progress=False)
    trained = link.block_error_rate(6.0, n_blocks=20000, seed=1)
    assert len(history["loss"]) == 400
    assert trained < 0.5 * untrained
    assert trained < 0.02  # near QPSK's 1 - (1 - Q(sqrt(2 * 10^0.6)))^2 = 0.0048 at 6 dB
    assert link.block_error_rate(6.0, n_blocks=20000, seed=1) == trained  # same seed, same estimate


@pytest.mark.parametrize("messages, message", [
    (torch.tensor([0, 16]), r"message indices in \[0, 16\) for k=4 bits; got values from 0 to 16"),
    (torch.tensor([0.0, 1.0]), r"messages of shape \(N,\) holding integer indices"),
    (torch.zeros(2, 2, dtype=torch.long), r"messages of shape \(N,\).*got shape \(2, 2\)"),
])
def test_channel_autoencoder_rejects_bad_messages(messages, message):
    with pytest.raises(ValueError, match=message):
        ChannelAutoencoder(k=4, n=7).encode(messages)


def test_channel_autoencoder_rejects_bad_arguments():
    with pytest.raises(ValueError, match="k <= 16 bits"):
        ChannelAutoencoder(k=20, n=7)
    with pytest.raises(ValueError, match="ebno_db to be a finite number of dB; got inf"):
        ChannelAutoencoder().noise_std(float("inf"))
    with pytest.raises(ValueError, match=r"bits of shape \(N, 4\) holding 0s and 1s; got shape \(2, 3\)"):
        ChannelAutoencoder().bits_to_messages(torch.ones(2, 3))
    with pytest.raises(TypeError, match="expects model to be a ChannelAutoencoder; got Autoencoder"):
        train_channel_autoencoder(Autoencoder(4, 2), steps=1, progress=False)


def test_the_routed_names_resolve_from_dlcourse_models():
    import dlcourse.models as models

    homes = {"Autoencoder": "autoencoder", "kl_sparsity_penalty": "autoencoder", "VAE": "vae", "vae_loss": "vae",
             "train_vae": "vae", "RBM": "rbm", "ChannelAutoencoder": "channel_autoencoder"}
    for name, module in homes.items():
        assert getattr(models, name) is getattr(__import__(f"dlcourse.models.{module}", fromlist=[name]), name)


# ------------------------------------------------------------------- the exception rule
@pytest.mark.parametrize("call, message", [
    (lambda: Autoencoder(20, "4"), "code_dim to be a positive integer; got '4'"),
    (lambda: Autoencoder(20, 4, hidden="wide"), "hidden to be a tuple of layer widths"),
    (lambda: corrupt(torch.zeros(2, 2), level="half"), "level to be a non-negative number"),
    (lambda: train_autoencoder(Autoencoder(20, 4), _low_rank_data(), epochs=1.0, progress=False),
     "epochs to be a positive integer; got 1.0"),
    (lambda: train_autoencoder("model", _low_rank_data(), epochs=1, progress=False), "model to be an Autoencoder"),
    (lambda: kl_sparsity_penalty(torch.full((3,), 0.1), rho="0.05"), "rho to be a target activation"),
    (lambda: VAE(latent_dim=2.0), "latent_dim to be a positive integer; got 2.0"),
    (lambda: vae_loss(torch.zeros(2, 3), torch.zeros(2, 3), torch.zeros(2, 1), torch.zeros(2, 1), beta=None),
     "beta to be a non-negative number"),
    (lambda: train_vae(VAE(4, 2, hidden=()), "pixels", epochs=1, progress=False),
     "X to be a NumPy array or tensor of numbers; got str"),
    (lambda: RBM(4, 2.5), "n_hidden to be a positive integer; got 2.5"),
    (lambda: RBM(4, 3, lr="fast"), "lr to be a positive learning rate"),
    (lambda: ChannelAutoencoder(k=4.0), "k to be a positive integer; got 4.0"),
    (lambda: train_channel_autoencoder(Autoencoder(4, 2), steps=1, progress=False), "model to be a ChannelAutoencoder"),
])
def test_arguments_of_the_wrong_type_raise_type_error(call, message):
    with pytest.raises(TypeError, match=message):
        call()


@pytest.mark.parametrize("call, message", [
    (lambda: Autoencoder(20, 0), "code_dim to be a positive integer; got 0"),
    (lambda: Autoencoder(20, 4, hidden=(8, 0)), "each entry of hidden to be a positive integer; got 0"),
    (lambda: Autoencoder(20, 4, activation="gelu"), "activations to be one of 'relu', 'sigmoid', 'tanh', None"),
    (lambda: train_autoencoder(Autoencoder(20, 4), _low_rank_data(), epochs=1, batch_size=0, progress=False),
     "batch_size to be a positive integer; got 0"),
    (lambda: kl_sparsity_penalty(torch.full((3,), 0.1), rho=1.0), "rho to be a target activation strictly between"),
    (lambda: VAE(latent_dim=0), "latent_dim to be a positive integer; got 0"),
    (lambda: train_vae(VAE(4, 2, hidden=()), np.full((8, 4), 0.5), epochs=1, seed=-1, progress=False),
     "seed to be a non-negative integer; got -1"),
    (lambda: RBM(4, 3, lr=0.0), "lr to be a positive learning rate; got 0.0"),
    (lambda: ChannelAutoencoder(k=0), "k to be a positive integer; got 0"),
    (lambda: ChannelAutoencoder().noise_std(float("nan")), "ebno_db to be a finite number of dB"),
])
def test_arguments_of_the_right_type_but_a_wrong_value_raise_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ------------------------------------------------------------------------------ ConvAutoencoder
def test_conv_autoencoder_has_the_shapes_of_the_dense_one_and_far_fewer_parameters():
    torch.manual_seed(0)
    model = ConvAutoencoder(code_dim=16, channels=(16, 32))
    x = torch.rand(3, 784)
    assert model.encode(x).shape == (3, 16)
    x_hat = model(x)
    assert x_hat.shape == (3, 784) and x_hat.min() >= 0 and x_hat.max() <= 1
    count = sum(p.numel() for p in model.parameters())
    # convs 1*16*9+16 and 16*32*9+32, linear 1568*16+16 and 16*1568+1568, transposed 32*16*9+16 and 16*9+1
    assert count == 160 + 4640 + 25104 + 26656 + 4624 + 145
    assert count < sum(p.numel() for p in Autoencoder(784, 16, hidden=(256,)).parameters()) / 6


def test_conv_autoencoder_trains_with_fit_like_the_dense_one():
    from dlcourse.models import fit

    X = np.random.default_rng(0).random((64, 784)).astype(np.float32) * 0.1
    X[:, 300:320] = 0.9                                            # a shared stroke to learn
    torch.manual_seed(0)
    model = ConvAutoencoder(code_dim=4, channels=(4, 8))
    history = fit(model, X, X, loss="mse", epochs=15, batch_size=16, lr=1e-2, live=False, progress=False)
    assert history["loss"][-1] < 0.5 * history["loss"][0]


def test_conv_autoencoder_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"channels \(c_1, c_2\), one per convolution"):
        ConvAutoencoder(channels=(4, 8, 16))
    with pytest.raises(ValueError, match=r"expects x of shape \(N, 784\)"):
        ConvAutoencoder()(torch.rand(2, 1, 28, 28))


# ------------------------------------------------------------------------------ Hamming (7,4)
_ALL_DATA = np.array([[(m >> (3 - j)) & 1 for j in range(4)] for m in range(16)])  # (16, 4)


def test_hamming_codewords_satisfy_every_parity_check_and_carry_the_data_first():
    codewords = hamming74_encode(_ALL_DATA)
    assert codewords.shape == (16, 7)
    assert np.array_equal(codewords[:, :4], _ALL_DATA)                        # systematic
    assert not np.any(codewords @ HAMMING74_PARITY_CHECK.T % 2)               # c H^T = 0
    distances = (codewords[:, None, :] != codewords[None]).sum(axis=2)
    assert distances[~np.eye(16, dtype=bool)].min() == 3                       # minimum distance 3


def test_hamming_decoder_corrects_every_single_bit_error():
    codewords = hamming74_encode(_ALL_DATA)
    assert np.array_equal(hamming74_decode(codewords), _ALL_DATA)
    for position in range(7):
        received = codewords.copy()
        received[:, position] ^= 1
        assert np.array_equal(hamming74_decode(received), _ALL_DATA), position


def test_hamming_decoder_fails_on_every_double_bit_error():
    codewords = hamming74_encode(_ALL_DATA)
    for first, second in itertools.combinations(range(7), 2):
        received = codewords.copy()
        received[:, [first, second]] ^= 1
        assert np.all(np.any(hamming74_decode(received) != _ALL_DATA, axis=1))


def test_hard_decision_block_error_rate_matches_the_binomial_formula():
    ebno_db = 4.0
    p = 0.5 * math.erfc(math.sqrt(2 * 4 / 7 * 10 ** (ebno_db / 10)) / math.sqrt(2))  # Q(sqrt(2 R Eb/N0))
    theory = 1 - (1 - p) ** 7 - 7 * p * (1 - p) ** 6                           # more than one of 7 bits flipped
    simulated = hamming74_block_error_rate(ebno_db, n_blocks=200_000, seed=0)
    assert abs(simulated / theory - 1) < 0.05
    assert hamming74_block_error_rate(ebno_db, n_blocks=1000, seed=3) == hamming74_block_error_rate(
        ebno_db, n_blocks=1000, seed=3)


def test_soft_decision_maximum_likelihood_beats_hard_decisions():
    hard = hamming74_block_error_rate(4.0, n_blocks=50_000, seed=1)
    ml = hamming74_block_error_rate(4.0, n_blocks=50_000, seed=1, decoder="ml")
    assert ml < 0.5 * hard


def test_hamming_uses_the_noise_level_of_the_channel_autoencoder():
    # the same Eb/N0 means the same sigma for symbols of energy 1 at rate 4/7
    noiseless = hamming74_block_error_rate(60.0, n_blocks=2000, seed=0)
    assert noiseless == 0.0
    sigma = ChannelAutoencoder(k=4, n=7).noise_std(3.0)
    assert sigma == pytest.approx(math.sqrt(1 / (2 * 4 / 7 * 10 ** 0.3)))


@pytest.mark.parametrize("call, message", [
    (lambda: hamming74_encode(np.ones((2, 3))), r"bits to be an array of shape \(N, 4\)"),
    (lambda: hamming74_decode(np.full((2, 7), 2)), "holding only 0s and 1s"),
    (lambda: hamming74_block_error_rate(3.0, decoder="soft"), "decoder to be one of 'hard', 'ml'"),
])
def test_hamming_functions_reject_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ------------------------------------------------------------------------------ DeepBeliefNet
def test_dbn_trains_each_layer_on_the_hidden_probabilities_of_the_one_below():
    X = (_low_rank_data(n=200, dim=20) > 0.5).astype(np.float32)
    dbn = DeepBeliefNet((20, 12, 6), lr=0.1, seed=0)
    history = dbn.fit(X, epochs=5, batch_size=20, progress=False)
    assert [len(h) for h in history["reconstruction_error"]] == [6, 6]
    first, second = dbn.rbms
    assert (first.n_visible, first.n_hidden, second.n_visible, second.n_hidden) == (20, 12, 12, 6)
    # the second RBM saw the first one's probabilities: retraining it on them by hand gives the same weights
    twin = RBM(12, 6, lr=0.1, seed=1)
    twin.fit(first.hidden_probabilities(X), epochs=5, batch_size=20, progress=False)
    assert np.allclose(twin.W, second.W)
    assert np.allclose(dbn.transform(X), second.hidden_probabilities(first.hidden_probabilities(X)))
    assert dbn.transform(X, layers=1).shape == (200, 12)


def test_dbn_classifier_starts_from_the_rbm_weights():
    dbn = DeepBeliefNet((20, 12, 6), seed=0)
    for rbm in dbn.rbms:
        rbm.W = np.random.default_rng(0).normal(size=rbm.W.shape).astype(np.float32)
        rbm.c = np.random.default_rng(1).normal(size=rbm.c.shape).astype(np.float32)
    net = dbn.classifier(n_classes=3)
    X = np.random.default_rng(2).random((5, 20)).astype(np.float32)
    with torch.no_grad():
        hidden = net[:-1](torch.tensor(X)).numpy()
        logits = net(torch.tensor(X))
    assert np.allclose(hidden, dbn.transform(X), atol=1e-6)                   # up-pass = the DBN's features
    assert logits.shape == (5, 3)
    assert [type(m).__name__ for m in net] == ["Linear", "Sigmoid", "Linear", "Sigmoid", "Linear"]


@pytest.mark.parametrize("call, error, message", [
    (lambda: DeepBeliefNet((20,)), ValueError, "layer_sizes to be a tuple of layer widths"),
    (lambda: DeepBeliefNet((20, 0)), ValueError, "each entry of layer_sizes to be a positive integer"),
    (lambda: DeepBeliefNet((4, 3)).fit(np.full((2, 4), 2.0)), ValueError, r"visible values in \[0, 1\]"),
    (lambda: DeepBeliefNet((4, 3)).transform(np.zeros((2, 4)), layers=2), ValueError, "layers to be"),
    (lambda: DeepBeliefNet((4, 3)).classifier(1), ValueError, "n_classes to be"),
])
def test_dbn_rejects_bad_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()
