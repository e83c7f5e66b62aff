"""Generative adversarial networks (lecture 11).

A generator G turns noise z ~ p_0 = N(0, I) into samples x = G(z); a discriminator D
outputs the probability that x is real. They play the min-max game of Goodfellow et al.
(2014)::

    min_G max_D V(D, G) = E_{x ~ p*}[log D(x)] + E_{z ~ p_0}[log(1 - D(G(z)))]

Every discriminator here returns a *logit* l with D(x) = sigmoid(l). The losses use
log D = log sigmoid(l) and log(1 - D) = log sigmoid(-l), which stay finite for any l,
where log(sigmoid(l)) would give log(0) = -inf once sigmoid(l) rounds to 0.

``train_gan`` is Algorithm 1 of Goodfellow et al. (2014), with Adam in place of the plain
gradient step; its comments carry the step names used here::

    for each training step:
        repeat k times:                                          # discriminator steps
            (D1) draw m examples x_1..x_m from the data p*
            (D2) draw m noise vectors z_1..z_m from p_0
            (D3) ascend V: minimise J_D = -1/m sum_i [log D(x_i) + log(1 - D(G(z_i)))]
        (G1) draw m noise vectors z_1..z_m from p_0                # one generator step
        (G2) descend: minimise J_G = -1/m sum_i log D(G(z_i))
             (non-saturating; the game's own 1/m sum_i log(1 - D(G(z_i))) with saturating=True)

- ``Generator``, ``Discriminator``  multilayer perceptrons for low-dimensional data (1-D
  densities, the ring of 8 Gaussians); the discriminator optionally sees a mini-batch
  statistic, the standard deviation of its features over the batch (Karras et al. 2018)
- ``DCGANGenerator``, ``DCGANDiscriminator``  the convolutional pair of Radford et al. (2016)
- ``ConditionalGenerator``, ``ConditionalDiscriminator``  both players see a class label
  (Mirza & Osindero 2014)
- ``discriminator_loss``, ``generator_loss``  the players' losses, from logits, with one-sided
  label smoothing and the saturating or non-saturating generator loss
- ``train_gan``  the alternating algorithm above
- ``InfoGANGenerator``, ``InfoGANDiscriminator``, ``mutual_information_loss``, ``train_infogan``
  InfoGAN (Chen et al. 2016): a categorical code c joins the noise, an auxiliary head Q on
  D's body predicts c from G(z, c), and both players maximise the bound L_I on I(c; G(z, c))
- ``VirtualBatchNorm``  batch normalisation with the statistics of a fixed reference batch
  and the example itself, so an example's output no longer depends on its companions
  (Salimans et al. 2016)

Pictures of what a GAN learned, and the share of a mixture's modes it covers, are in
``dlcourse.models.gan_diagnostics``.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .. import config
from .._loop import TrainingLog
from .._validation import check_batch, check_choice, check_flag, check_instance, check_int, check_real
from .._validation import check_tensor, check_widths
from ..config import progress as _progress

__all__ = [
    "Generator", "Discriminator", "MinibatchStdDev",
    "DCGANGenerator", "DCGANDiscriminator",
    "ConditionalGenerator", "ConditionalDiscriminator",
    "discriminator_loss", "generator_loss", "train_gan",
    "InfoGANGenerator", "InfoGANDiscriminator", "mutual_information_loss", "train_infogan",
    "VirtualBatchNorm",
]


# ================================================================= fully connected players
class Generator(nn.Module):
    """A fully connected generator G: latent_dim -> hidden... -> output_dim.

    latent_dim n: size of the noise z ~ N(0, I_n); output_dim d: size of a sample.
    hidden: widths of the hidden layers (ReLU after each).
    output_activation: None (real-valued samples), "tanh" (samples in (-1, 1)) or
        "sigmoid" (samples in (0, 1)).
    ``forward(z)`` maps (N, n) -> (N, d); ``sample(n)`` draws fresh noise.
    """

    def __init__(self, latent_dim=2, output_dim=2, hidden=(64, 64), output_activation=None):
        super().__init__()
        self.latent_dim = check_int(latent_dim, "latent_dim", "Generator", minimum=1)
        self.output_dim = check_int(output_dim, "output_dim", "Generator", minimum=1)
        hidden = check_widths(hidden, "hidden", "Generator", minimum_length=0)
        check_choice(output_activation, "output_activation", "Generator", tuple(_OUTPUT_ACTIVATIONS))
        widths = [self.latent_dim, *hidden, self.output_dim]
        layers = []
        for fan_in, fan_out in zip(widths[:-2], widths[1:-1]):
            layers += [nn.Linear(fan_in, fan_out), nn.ReLU()]
        layers.append(nn.Linear(widths[-2], widths[-1]))
        if output_activation is not None:
            layers.append(_OUTPUT_ACTIVATIONS[output_activation]())
        self.net = nn.Sequential(*layers)

    def forward(self, z):
        return self.net(check_batch(z, "z", type(self).__name__, self.latent_dim))

    @torch.no_grad()
    def sample(self, n, generator=None):
        """n samples G(z), z ~ N(0, I), without gradients; generator: an optional torch.Generator. (n, d)."""
        n = check_int(n, "n", f"{type(self).__name__}.sample", minimum=1)
        return self(torch.randn(n, self.latent_dim, generator=generator))


class MinibatchStdDev(nn.Module):
    """Append one feature to every example: the spread of the whole mini-batch (Karras et al. 2018).

    h (N, F) -> (N, F + 1). The new feature is sigma = mean_f std_n(h[n, f]), the standard
    deviation of each feature over the batch, averaged over the features, the same number
    for every example. A batch of near-identical samples (a collapsed generator) has a small
    sigma, real batches do not, so a discriminator that sees sigma can reject the whole batch.
    """

    def forward(self, h):
        # sqrt(var + eps): the gradient of sqrt at 0 is infinite, and a collapsed batch has var = 0
        sigma = torch.sqrt(h.var(dim=0, unbiased=False) + 1e-8).mean()
        return torch.cat([h, sigma.expand(len(h), 1)], dim=1)


class Discriminator(nn.Module):
    """A fully connected discriminator: input_dim -> hidden... -> 1 logit.

    input_dim d: size of a sample; hidden: widths of the hidden layers (LeakyReLU with slope
    0.2 after each, as Radford et al. 2016 recommend for discriminators).
    minibatch_std: if True, a ``MinibatchStdDev`` feature joins every input, so D judges each
        sample together with the spread of its mini-batch (for low-dimensional data such as
        2-D points the spread of the samples themselves is the telling statistic).
    ``forward(x)`` maps (N, d) -> logits (N,); D(x) = sigmoid(logit).
    """

    def __init__(self, input_dim=2, hidden=(64, 64), minibatch_std=False):
        super().__init__()
        self.input_dim = check_int(input_dim, "input_dim", "Discriminator", minimum=1)
        hidden = check_widths(hidden, "hidden", "Discriminator", minimum_length=0)
        self.minibatch_std = minibatch_std = check_flag(minibatch_std, "minibatch_std", "Discriminator")
        layers = [MinibatchStdDev()] if minibatch_std else []
        widths = [self.input_dim + minibatch_std, *hidden]
        for fan_in, fan_out in zip(widths[:-1], widths[1:]):
            layers += [nn.Linear(fan_in, fan_out), nn.LeakyReLU(0.2)]
        layers.append(nn.Linear(widths[-1], 1))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(check_batch(x, "x", type(self).__name__, self.input_dim)).squeeze(1)  # (N,)


# ==================================================================== convolutional players
def _normal_init(module):
    """Radford et al. (2016): every convolution and linear weight ~ N(0, 0.02^2), batch-norm scale ~ N(1, 0.02^2)."""
    for layer in module.modules():
        if isinstance(layer, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.normal_(layer.weight, 0.0, 0.02)
            if layer.bias is not None:
                nn.init.zeros_(layer.bias)
        elif isinstance(layer, (nn.BatchNorm1d, nn.BatchNorm2d)):
            nn.init.normal_(layer.weight, 1.0, 0.02)
            nn.init.zeros_(layer.bias)


class DCGANGenerator(nn.Module):
    """The DCGAN generator (Radford et al. 2016): z -> a small feature map -> upsampled to an image.

    A linear layer projects z (N, latent_dim) to channels[0] maps of size s x s, with
    s = image_size / 2^len(channels); each following stage is a transposed convolution
    (kernel 4, stride 2, padding 1) that doubles the size, then batch norm and ReLU; the last
    stage outputs ``out_channels`` maps through tanh, so images lie in (-1, 1).
    Example: image_size=28, channels=(32, 16): z -> 32 x 7 x 7 -> 16 x 14 x 14 -> 1 x 28 x 28.

    No pooling and no fully connected hidden layers, batch norm in every hidden stage, ReLU
    inside and tanh at the output: the paper's guidelines. Weights start as N(0, 0.02^2).
    ``forward(z)`` maps (N, latent_dim) -> (N, out_channels, image_size, image_size).
    """

    def __init__(self, latent_dim=32, image_size=28, channels=(32, 16), out_channels=1):
        super().__init__()
        self.latent_dim = check_int(latent_dim, "latent_dim", type(self).__name__, minimum=1)
        self.image_size, self.channels, self.start = _check_image_geometry(type(self).__name__, image_size, channels)
        self.out_channels = check_int(out_channels, "out_channels", type(self).__name__, minimum=1)
        c0, s = self.channels[0], self.start
        self.project = nn.Sequential(nn.Linear(self.latent_dim, c0 * s * s, bias=False),
                                     nn.BatchNorm1d(c0 * s * s), nn.ReLU())
        layers = []
        for c_in, c_out in zip(self.channels[:-1], self.channels[1:]):
            layers += [nn.ConvTranspose2d(c_in, c_out, 4, stride=2, padding=1, bias=False),  # size x 2
                       nn.BatchNorm2d(c_out), nn.ReLU()]
        layers += [nn.ConvTranspose2d(self.channels[-1], self.out_channels, 4, stride=2, padding=1), nn.Tanh()]
        self.upsample = nn.Sequential(*layers)
        _normal_init(self)

    def forward(self, z):
        z = check_batch(z, "z", type(self).__name__, self.latent_dim)
        h = self.project(z).view(-1, self.channels[0], self.start, self.start)  # (N, c0, s, s)
        return self.upsample(h)

    @torch.no_grad()
    def sample(self, n, generator=None):
        """n images G(z), z ~ N(0, I), without gradients: (n, out_channels, image_size, image_size).

        The batch-norm layers use batch statistics in training mode and their running
        averages in evaluation mode (``model.eval()``, which ``train_gan`` leaves the model in).
        """
        n = check_int(n, "n", f"{type(self).__name__}.sample", minimum=1)
        return self(torch.randn(n, self.latent_dim, generator=generator))


class DCGANDiscriminator(nn.Module):
    """The DCGAN discriminator (Radford et al. 2016): strided convolutions down to one logit.

    The mirror image of ``DCGANGenerator`` with the same image_size and channels: each stage
    is a convolution (kernel 4, stride 2, padding 1) that halves the size, then batch norm
    (not after the first stage, which sees the images themselves) and LeakyReLU(0.2); a
    linear layer turns the last channels[0] x s x s maps into one logit.
    Example: image_size=28, channels=(32, 16): 1 x 28 x 28 -> 16 x 14 x 14 -> 32 x 7 x 7 -> 1.
    ``forward(x)`` maps (N, in_channels, image_size, image_size) -> logits (N,).
    """

    def __init__(self, image_size=28, channels=(32, 16), in_channels=1):
        super().__init__()
        self.image_size, self.channels, self.start = _check_image_geometry(type(self).__name__, image_size, channels)
        self.in_channels = check_int(in_channels, "in_channels", type(self).__name__, minimum=1)
        widths = [self.in_channels, *self.channels[::-1]]
        layers = []
        for index, (c_in, c_out) in enumerate(zip(widths[:-1], widths[1:])):
            layers.append(nn.Conv2d(c_in, c_out, 4, stride=2, padding=1, bias=index == 0))  # size / 2
            if index > 0:
                layers.append(nn.BatchNorm2d(c_out))
            layers.append(nn.LeakyReLU(0.2))
        self.features = nn.Sequential(*layers)
        self.classify = nn.Linear(self.channels[0] * self.start * self.start, 1)
        _normal_init(self)

    def forward(self, x):
        x = _check_images(type(self).__name__, x, self.in_channels, self.image_size)
        return self.classify(self.features(x).flatten(1)).squeeze(1)  # (N,)


# ======================================================================= conditional players
class ConditionalGenerator(nn.Module):
    """A class-conditional DCGAN generator G(z, y) (Mirza & Osindero 2014).

    The label y is looked up in a learned table (``embedding``: num_classes x embedding_dim)
    and joined to the noise: G(z, y) = DCGAN generator([z, e_y]). Asking for class y then
    means feeding its row e_y. The other arguments are those of ``DCGANGenerator``; its
    input has latent_dim + embedding_dim entries.
    ``forward(z, labels)``: z (N, latent_dim), labels (N,) integers in [0, num_classes)
    -> images (N, out_channels, image_size, image_size).
    """

    def __init__(self, num_classes=10, latent_dim=32, embedding_dim=10, image_size=28, channels=(32, 16),
                 out_channels=1):
        super().__init__()
        self.num_classes = check_int(num_classes, "num_classes", type(self).__name__, minimum=1)
        self.latent_dim = check_int(latent_dim, "latent_dim", type(self).__name__, minimum=1)
        self.embedding_dim = check_int(embedding_dim, "embedding_dim", type(self).__name__, minimum=1)
        self.embedding = nn.Embedding(self.num_classes, self.embedding_dim)
        self.generator = DCGANGenerator(self.latent_dim + self.embedding_dim, image_size, channels, out_channels)

    def forward(self, z, labels):
        z = check_batch(z, "z", type(self).__name__, self.latent_dim)
        labels = _check_labels(type(self).__name__, labels, self.num_classes, len(z))
        return self.generator(torch.cat([z, self.embedding(labels)], dim=1))  # input (N, latent_dim + embedding_dim)

    @torch.no_grad()
    def sample(self, labels, generator=None):
        """One image per requested label, labels (n,) -> (n, out_channels, image_size, image_size)."""
        labels = _check_labels(f"{type(self).__name__}.sample", labels, self.num_classes)
        return self(torch.randn(len(labels), self.latent_dim, generator=generator), labels)


class ConditionalDiscriminator(nn.Module):
    """A class-conditional DCGAN discriminator D(x, y) (Mirza & Osindero 2014).

    The label y is looked up in a learned table (``embedding``: num_classes x
    image_size^2), reshaped to one image_size x image_size map and stacked onto the image
    as an extra channel; a ``DCGANDiscriminator`` with in_channels + 1 channels scores the
    pair. D must then answer "is this a real example *of class y*?", so a generator that
    draws a good 3 when asked for a 7 is caught.
    ``forward(x, labels)``: x (N, in_channels, image_size, image_size), labels (N,) -> logits (N,).
    """

    def __init__(self, num_classes=10, image_size=28, channels=(32, 16), in_channels=1):
        super().__init__()
        self.num_classes = check_int(num_classes, "num_classes", type(self).__name__, minimum=1)
        in_channels = check_int(in_channels, "in_channels", type(self).__name__, minimum=1)
        self.discriminator = DCGANDiscriminator(image_size, channels, in_channels + 1)  # + the label's channel
        self.image_size, self.in_channels = self.discriminator.image_size, in_channels
        self.embedding = nn.Embedding(self.num_classes, self.image_size * self.image_size)

    def forward(self, x, labels):
        x = _check_images(type(self).__name__, x, self.in_channels, self.image_size)
        labels = _check_labels(type(self).__name__, labels, self.num_classes, len(x))
        label_map = self.embedding(labels).view(-1, 1, self.image_size, self.image_size)  # (N, 1, H, W)
        return self.discriminator(torch.cat([x, label_map], dim=1))


# ==================================================================================== InfoGAN
class InfoGANGenerator(nn.Module):
    """InfoGAN's generator G(z, c) (Chen et al. 2016): a DCGAN generator fed noise and a code.

    The code c is one of ``num_codes`` values, drawn uniformly and *without* any label: it
    enters as a one-hot vector joined to the noise, G(z, c) = DCGAN generator([z, onehot(c)]).
    Only the information loss (``mutual_information_loss``) gives c a meaning. The other
    arguments are those of ``DCGANGenerator``; its input has latent_dim + num_codes entries.
    ``forward(z, codes)``: z (N, latent_dim), codes (N,) integers in [0, num_codes)
    -> images (N, out_channels, image_size, image_size).
    """

    def __init__(self, num_codes=10, latent_dim=16, image_size=28, channels=(32, 16), out_channels=1):
        super().__init__()
        self.num_codes = check_int(num_codes, "num_codes", type(self).__name__, minimum=2)
        self.latent_dim = check_int(latent_dim, "latent_dim", type(self).__name__, minimum=1)
        self.generator = DCGANGenerator(self.latent_dim + self.num_codes, image_size, channels, out_channels)

    def forward(self, z, codes):
        z = check_batch(z, "z", type(self).__name__, self.latent_dim)
        codes = _check_labels(type(self).__name__, codes, self.num_codes, len(z))
        one_hot = F.one_hot(codes, self.num_codes).to(z.dtype)              # (N, num_codes)
        return self.generator(torch.cat([z, one_hot], dim=1))                # input (N, latent_dim + num_codes)

    @torch.no_grad()
    def sample(self, codes, generator=None):
        """One image per requested code, codes (n,) -> (n, out_channels, image_size, image_size)."""
        codes = _check_labels(f"{type(self).__name__}.sample", codes, self.num_codes)
        return self(torch.randn(len(codes), self.latent_dim, generator=generator), codes)


class InfoGANDiscriminator(nn.Module):
    """InfoGAN's discriminator D with the auxiliary head Q on the same body (Chen et al. 2016).

    The body is the convolutional part of a ``DCGANDiscriminator`` (same image_size and
    channels); from its features (N, channels[0] * s * s) one linear layer gives D's logit and
    the head Q (linear, LeakyReLU(0.2), linear) gives ``num_codes`` logits of Q(c | x), the
    posterior of the code. Sharing the body makes Q almost free.
    ``forward(x)``: x (N, in_channels, image_size, image_size) -> (logits (N,), code_logits (N, num_codes)).
    """

    def __init__(self, num_codes=10, image_size=28, channels=(32, 16), in_channels=1, q_hidden=64):
        super().__init__()
        self.num_codes = check_int(num_codes, "num_codes", type(self).__name__, minimum=2)
        q_hidden = check_int(q_hidden, "q_hidden", type(self).__name__, minimum=1)
        body = DCGANDiscriminator(image_size, channels, in_channels)
        self.image_size, self.in_channels = body.image_size, body.in_channels
        self.features, self.classify = body.features, body.classify
        width = body.classify.in_features
        self.q_head = nn.Sequential(nn.Linear(width, q_hidden), nn.LeakyReLU(0.2), nn.Linear(q_hidden, self.num_codes))

    def forward(self, x):
        x = _check_images(type(self).__name__, x, self.in_channels, self.image_size)
        h = self.features(x).flatten(1)                                      # (N, channels[0] * s * s)
        return self.classify(h).squeeze(1), self.q_head(h)                   # (N,), (N, num_codes)


def mutual_information_loss(code_logits, codes):
    """InfoGAN's information loss: the cross-entropy of Q's prediction of the code.

    For codes c drawn uniformly from K values and x = G(z, c), Chen et al. (2016) bound the
    mutual information from below by

        L_I = E[log Q(c | x)] + H(c) <= I(c; G(z, c)),      H(c) = log K,

    so maximising L_I is minimising E[-log Q(c | x)], the cross-entropy returned here
    (L_I = log K - loss). code_logits: (N, K) Q's logits; codes: (N,) the codes G was given.
    Returns a 0-d tensor.
    """
    _check_logits("mutual_information_loss", "code_logits", code_logits)
    if code_logits.ndim != 2:
        raise ValueError("mutual_information_loss expects code_logits of shape (N, K); "
                         f"got shape {tuple(code_logits.shape)}.")
    codes = _check_labels("mutual_information_loss", codes, code_logits.shape[1], len(code_logits))
    return F.cross_entropy(code_logits, codes)


def train_infogan(generator, discriminator, X, *, steps, batch_size=64, lr=2e-4, lr_d=None, info_weight=1.0,
                  betas=(0.5, 0.999), smoothing=0.0, seed=0, live=None, progress=True):
    """Train an InfoGAN: ``train_gan``'s algorithm (k = 1) with the information term added.

        D and Q:  minimise discriminator_loss(D(x), D(G(z, c))) + lambda * CE(Q(G(z, c)), c)
        G:        minimise generator_loss(D(G(z, c)))          + lambda * CE(Q(G(z, c)), c)

    so both players maximise L_I (``mutual_information_loss``), lambda = ``info_weight``
    (Chen et al. 2016 use 1 for a categorical code). Codes are drawn uniformly, fresh for
    every batch. generator: an ``InfoGANGenerator``; discriminator: an ``InfoGANDiscriminator``
    with the same num_codes; X: real images (N, C, H, W) shaped like the samples (labels
    are never used). The other arguments are those of ``train_gan``.
    Returns per-step lists "d_loss", "g_loss" and "info_loss" (the cross-entropy in G's
    step; L_I = log K - info_loss). Both models are left in evaluation mode.
    """
    check_instance(generator, "generator", "train_infogan", InfoGANGenerator, "an InfoGANGenerator")
    check_instance(discriminator, "discriminator", "train_infogan", InfoGANDiscriminator, "an InfoGANDiscriminator")
    if generator.num_codes != discriminator.num_codes:
        raise ValueError(f"train_infogan expects players with the same num_codes; got {generator.num_codes} "
                         f"(generator) and {discriminator.num_codes} (discriminator).")
    info_weight = check_real(info_weight, "info_weight", "train_infogan", minimum=0)
    X, _, noise, lr, lr_d = _checked_gan_arguments(generator.generator, discriminator.classify, X, None, steps,
                                                   batch_size, 1, lr, lr_d, smoothing, seed, None, "train_infogan")
    opt_g = torch.optim.Adam(generator.parameters(), lr=lr, betas=betas)
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=lr_d, betas=betas)   # D's body, D's head and Q

    def fake_batch():                                       # z ~ p_0, c uniform, x = G(z, c)
        z = torch.randn(batch_size, generator.latent_dim, generator=noise)
        codes = torch.randint(generator.num_codes, (batch_size,), generator=noise)
        return generator(z, codes), codes

    generator.train()
    discriminator.train()
    panels = {"GAN losses": ["d_loss", "g_loss"], "information loss": ["info_loss"]}
    with TrainingLog(["d_loss", "g_loss", "info_loss"], panels, live=live, xlabel="step") as log:
        for step in _progress(range(1, steps + 1), desc="InfoGAN steps", disable=not progress):
            real = X[torch.randint(len(X), (batch_size,), generator=noise)]
            with torch.no_grad():                           # G is fixed while D and Q learn
                fake, codes = fake_batch()
            fake_logits, code_logits = discriminator(fake)
            d_loss = discriminator_loss(discriminator(real)[0], fake_logits, smoothing)
            opt_d.zero_grad()
            (d_loss + info_weight * mutual_information_loss(code_logits, codes)).backward()
            opt_d.step()                                    # D ascends V, Q ascends L_I
            fake, codes = fake_batch()
            fake_logits, code_logits = discriminator(fake)
            g_loss, info_loss = generator_loss(fake_logits), mutual_information_loss(code_logits, codes)
            opt_g.zero_grad()
            (g_loss + info_weight * info_loss).backward()   # also fills D's gradients; opt_d zeroes them
            opt_g.step()                                    # G descends J_G and ascends L_I
            log.record(step, d_loss=d_loss, g_loss=g_loss, info_loss=info_loss)
    generator.eval()
    discriminator.eval()
    return log.history


# ============================================================================ virtual batch norm
class VirtualBatchNorm(nn.Module):
    """Virtual batch normalisation (Salimans et al. 2016).

    Batch norm in training mode normalises each example with the mean and variance of its
    mini-batch, so an example's output depends on which other examples share its batch.
    VBN fixes one *reference batch* at the start of training and normalises every example x
    with the statistics of the reference batch together with x itself:

        mu(x)      = (R * mean_ref(h) + mean(h_x)) / (R + 1)
        sigma^2(x) = (R * mean_ref(h^2) + mean(h_x^2)) / (R + 1) - mu(x)^2
        out(x)     = weight * (h_x - mu(x)) / sqrt(sigma^2(x) + eps) + bias

    per feature (channel), where R is the number of reference examples and the means run
    over the examples (and, for images, the positions). That is batch norm over the R + 1
    examples {reference batch, x}, one example at a time; out(x) depends on x and the
    reference batch only. The reference batch itself is normalised with its own statistics
    (plain batch norm), which gives the next layer its reference activations.
    ``forward(h, reference)``: h (N, F) or (N, F, H, W), reference (R, F) or (R, F, H, W):
    the reference batch's activations at this layer -> (out (N, ...), reference_out (R, ...)).
    """

    def __init__(self, num_features, eps=1e-5):
        super().__init__()
        self.num_features = check_int(num_features, "num_features", type(self).__name__, minimum=1)
        self.eps = check_real(eps, "eps", type(self).__name__, minimum=0, open_minimum=True)
        self.weight = nn.Parameter(torch.ones(self.num_features))
        self.bias = nn.Parameter(torch.zeros(self.num_features))

    def forward(self, h, reference):
        for name, value in (("h", h), ("reference", reference)):
            check_instance(value, name, type(self).__name__, torch.Tensor, "a torch tensor")
            if value.ndim not in (2, 4) or value.shape[1] != self.num_features or not len(value):
                raise ValueError(f"{type(self).__name__} expects {name} of shape (N, {self.num_features}) or "
                                 f"(N, {self.num_features}, H, W); got shape {tuple(value.shape)}.")
        if h.shape[1:] != reference.shape[1:]:
            raise ValueError(f"{type(self).__name__} expects h and reference with the same shape after the batch "
                             f"axis; got {tuple(h.shape)} and {tuple(reference.shape)}.")
        shape = (1, -1) + (1,) * (h.ndim - 2)                               # broadcast over (N, F, ...)
        positions = tuple(range(2, h.ndim))                                 # () for (N, F), (2, 3) for images
        axes = (0, *positions)
        ref_mean, ref_square = reference.mean(axes), (reference ** 2).mean(axes)          # (F,)
        R = len(reference)
        own_mean = h.mean(positions, keepdim=True) if positions else h                    # (N, F, 1, 1) or (N, F)
        own_square = (h ** 2).mean(positions, keepdim=True) if positions else h ** 2
        mu = (R * ref_mean.view(shape) + own_mean) / (R + 1)
        var = ((R * ref_square.view(shape) + own_square) / (R + 1) - mu ** 2).clamp_min(0.0)
        out = (h - mu) / torch.sqrt(var + self.eps)
        ref_var = (ref_square - ref_mean ** 2).clamp_min(0.0)
        ref_out = (reference - ref_mean.view(shape)) / torch.sqrt(ref_var.view(shape) + self.eps)
        weight, bias = self.weight.view(shape), self.bias.view(shape)
        return weight * out + bias, weight * ref_out + bias


# =================================================================================== losses
def discriminator_loss(real_logits, fake_logits, smoothing=0.0):
    """The discriminator's loss: binary cross-entropy, real examples labelled 1 and fakes 0.

        J_D = -E_x[(1 - s) log D(x) + s log(1 - D(x))] - E_z[log(1 - D(G(z)))]

    It is -V(D, G) of the min-max game when s = 0, so minimising J_D maximises V; at the
    equilibrium D = 1/2 it equals log 4. s = ``smoothing`` is one-sided label smoothing
    (Salimans et al. 2016): real examples get the target 1 - s (e.g. 0.9) instead of 1,
    fakes keep the target 0, so D is never pushed to be certain about real data.
    real_logits: logits of D on real examples, fake_logits: on generated ones (tensors of
    any shape; the means run over all entries). Returns a 0-d tensor.
    """
    _check_logits("discriminator_loss", "real_logits", real_logits)
    _check_logits("discriminator_loss", "fake_logits", fake_logits)
    smoothing = check_real(smoothing, "smoothing", "discriminator_loss", minimum=0, maximum=1, open_maximum=True)
    # log D = logsigmoid(l) and log(1 - D) = logsigmoid(-l): finite for every logit
    real = -((1 - smoothing) * F.logsigmoid(real_logits) + smoothing * F.logsigmoid(-real_logits)).mean()
    fake = -F.logsigmoid(-fake_logits).mean()
    return real + fake


def generator_loss(fake_logits, saturating=False):
    """The generator's loss, from D's logits on generated examples.

        saturating:     J_G = E_z[log(1 - D(G(z)))]     (the min-max game itself)
        non-saturating: J_G = -E_z[log D(G(z))]         (Goodfellow et al. 2014's fix)

    Both are lowest where D(G(z)) = 1. With D = sigmoid(l), dJ_G/dl is -D for the saturating
    loss and -(1 - D) for the non-saturating one: early in training D(G(z)) is near 0, and
    only the non-saturating loss still gives the generator a gradient.
    fake_logits: a tensor of any shape (the mean runs over all entries). Returns a 0-d tensor.
    """
    _check_logits("generator_loss", "fake_logits", fake_logits)
    if check_flag(saturating, "saturating", "generator_loss"):
        return F.logsigmoid(-fake_logits).mean()   # log(1 - D)
    return -F.logsigmoid(fake_logits).mean()       # -log D


# ============================================================================ training loop
def train_gan(generator, discriminator, X, *, steps, labels=None, batch_size=64, k=1, lr=2e-4, lr_d=None,
              betas=(0.5, 0.999), saturating=False, smoothing=0.0, seed=0, callback=None, live=None,
              progress=True):
    """Train a GAN with the alternating algorithm of Goodfellow et al. (2014), using Adam.

    One step of the loop (steps D1-D3 and G1-G2 of the module docstring)::

        repeat k times:                                   # discriminator steps
            x ~ m real examples, z ~ m noise vectors
            phi <- phi - lr_d * grad_phi discriminator_loss(D(x), D(G(z)), smoothing)
        z ~ m noise vectors                               # one generator step
        theta <- theta - lr * grad_theta generator_loss(D(G(z)), saturating)

    (with Adam in place of the plain gradient step; betas (0.5, 0.999) as Radford et al. 2016).
    Lecture 11 writes this loop out in full once; this function runs exactly that loop.
    generator: a ``Generator``, ``DCGANGenerator`` or ``ConditionalGenerator`` (any module
        with a ``latent_dim`` attribute); discriminator: a matching discriminator returning logits.
    X: real examples (N, ...) (NumPy array or tensor), with the shape the generator outputs.
    labels: class labels (N,) of X, required for conditional players (then real examples
        are scored with their labels, and fakes are made for labels drawn uniformly).
    steps: generator steps; batch_size m; k: discriminator steps per generator step.
    lr: the generator's learning rate; lr_d: the discriminator's (default: lr).
    saturating, smoothing: passed to ``generator_loss`` and ``discriminator_loss``.
    seed: seeds the batches and the noise, so with fixed initial weights a run repeats exactly.
    callback: called as callback(step, generator, discriminator) after every generator step
        (step counts from 1), e.g. to keep snapshots of samples.
    live: draw the losses live (``dlcourse.plotting.TrainingCurves``); None: only in Jupyter.

    Returns a dict of per-step lists: "d_loss" (mean over the k discriminator steps),
    "g_loss", "d_real" (mean D(x) on the last real batch) and "d_fake" (mean D(G(z)) in
    the generator step). Both models are left in evaluation mode.
    """
    X, labels, noise, lr, lr_d = _checked_gan_arguments(generator, discriminator, X, labels, steps, batch_size, k,
                                                        lr, lr_d, smoothing, seed, callback)
    conditional = labels is not None
    opt_g = torch.optim.Adam(generator.parameters(), lr=lr, betas=betas)
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=lr_d, betas=betas)

    def fake_batch():                                       # z ~ p_0 (and y uniform), x = G(z)
        z = torch.randn(batch_size, generator.latent_dim, generator=noise)
        if not conditional:
            return generator(z), None
        y = torch.randint(generator.num_classes, (batch_size,), generator=noise)
        return generator(z, y), y

    def D(x, y):                                            # a logit l, D(x) = sigmoid(l)
        return discriminator(x) if y is None else discriminator(x, y)

    generator.train()
    discriminator.train()
    panels = {"loss": ["d_loss", "g_loss"], "D": ["d_real", "d_fake"]}
    with TrainingLog(["d_loss", "g_loss", "d_real", "d_fake"], panels, live=live, xlabel="step") as log:
        for step in _progress(range(1, steps + 1), desc="GAN steps", disable=not progress):
            d_total = 0.0
            for _ in range(k):                              # k discriminator steps
                rows = torch.randint(len(X), (batch_size,), generator=noise)      # (D1) x_1..x_m ~ p*
                y_real = labels[rows] if conditional else None
                with torch.no_grad():                       # G is fixed while D learns
                    fake, y_fake = fake_batch()                                    # (D2) G(z_1..z_m)
                real_logits = D(X[rows], y_real)
                d_loss = discriminator_loss(real_logits, D(fake, y_fake), smoothing)  # (D3) J_D = -V
                opt_d.zero_grad()
                d_loss.backward()
                opt_d.step()                                                       # (D3) ascend V
                d_total += d_loss.item()
            fake, y_fake = fake_batch()                                            # (G1) G(z_1..z_m)
            fake_logits = D(fake, y_fake)
            g_loss = generator_loss(fake_logits, saturating)                       # (G2) J_G
            opt_g.zero_grad()
            g_loss.backward()                               # also fills D's gradients; opt_d zeroes them
            opt_g.step()                                                           # (G2) descend J_G
            log.record(step, d_loss=d_total / k, g_loss=g_loss, d_real=torch.sigmoid(real_logits).mean(),
                       d_fake=torch.sigmoid(fake_logits).mean())
            if callback is not None:
                callback(step, generator, discriminator)
    generator.eval()
    discriminator.eval()
    return log.history


# ================================================================================== helpers
_OUTPUT_ACTIVATIONS = {None: None, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}


def _checked_gan_arguments(generator, discriminator, X, labels, steps, batch_size, k, lr, lr_d, smoothing, seed,
                           callback, owner="train_gan"):
    """The arguments of train_gan (or of ``owner``, another loop) checked: returns X as a float
    tensor, the labels as a long tensor (None for unconditional players), the seeded
    torch.Generator of the run and the two learning rates as floats (lr_d defaults to lr)."""
    for name, model in (("generator", generator), ("discriminator", discriminator)):
        check_instance(model, name, owner, nn.Module, "a torch.nn.Module")
    if not isinstance(getattr(generator, "latent_dim", None), int):
        raise TypeError(f"{owner} expects a generator with a latent_dim attribute (Generator, DCGANGenerator or "
                        f"ConditionalGenerator); got {type(generator).__name__}.")
    conditional = isinstance(generator, ConditionalGenerator)
    if conditional != isinstance(discriminator, ConditionalDiscriminator):
        raise TypeError(f"{owner} expects both players conditional (ConditionalGenerator and "
                        "ConditionalDiscriminator) or neither; got "
                        f"{type(generator).__name__} and {type(discriminator).__name__}.")
    for name, value in (("steps", steps), ("batch_size", batch_size), ("k", k)):
        check_int(value, name, owner, minimum=1)
    lr, lr_d = (None if value is None else check_real(value, name, owner, minimum=0, open_minimum=True,
                                                      allowed="a positive learning rate")
                for name, value in (("lr", lr), ("lr_d", lr_d)))
    check_real(smoothing, "smoothing", owner, minimum=0, maximum=1, open_maximum=True)
    if callback is not None and not callable(callback):
        raise TypeError(f"{owner} expects callback to be a function (step, generator, discriminator); "
                        f"got {type(callback).__name__}.")
    X = check_tensor(X, "X", owner, examples=True)
    if conditional:
        if labels is None:
            raise ValueError(f"{owner} with conditional players needs labels: one class label per example of X.")
        labels = _check_labels(owner, labels, generator.num_classes, len(X))
    elif labels is not None:
        raise ValueError(f"{owner} got labels but the players are not conditional; use ConditionalGenerator and "
                         "ConditionalDiscriminator, or leave labels=None.")
    noise = config.torch_generator(check_int(seed, "seed", owner, minimum=0))
    _check_sample_shape(generator, X, conditional, owner)
    return X, labels, noise, lr, lr if lr_d is None else lr_d


def _check_sample_shape(generator, X, conditional, owner="train_gan"):
    """Fail early, in words, if the generator's samples and the real examples differ in shape."""
    was_training = generator.training
    generator.eval()  # batch norm in training mode cannot take a batch of one
    with torch.no_grad():
        z = torch.zeros(1, generator.latent_dim)
        fake = generator(z, torch.zeros(1, dtype=torch.long)) if conditional else generator(z)
    generator.train(was_training)
    if fake.shape[1:] != X.shape[1:]:
        raise ValueError(f"{owner} expects X to hold examples shaped like the generator's samples, "
                         f"{tuple(fake.shape[1:])}; got X of shape {tuple(X.shape)}.")


def _check_logits(function, name, logits):
    check_instance(logits, name, function, torch.Tensor, "a torch tensor of logits")
    if not logits.is_floating_point() or logits.numel() == 0:
        raise ValueError(f"{function} expects {name} to be a non-empty floating-point tensor of logits; "
                         f"got shape {tuple(logits.shape)}, dtype {logits.dtype}.")


def _check_images(owner, x, channels, size):
    expected = f"(N, {channels}, {size}, {size})"
    check_instance(x, "x", owner, torch.Tensor, f"a torch tensor of shape {expected}")
    if tuple(x.shape[1:]) != (channels, size, size) or x.ndim != 4:
        hint = " Reshape flat images first: x.reshape(-1, 1, H, W)." if x.ndim == 2 else ""
        raise ValueError(f"{owner} expects x of shape {expected}; got shape {tuple(x.shape)}.{hint}")
    return x


def _check_labels(owner, labels, num_classes, n=None):
    """labels as a long tensor (N,) of classes in [0, num_classes): TypeError if they are not
    numbers, ValueError for another shape, non-integer classes or a class out of range."""
    try:
        labels = torch.as_tensor(labels)
    except (TypeError, ValueError, RuntimeError) as error:
        raise TypeError(f"{owner} expects labels to be a tensor or array of integer classes; "
                        f"got {type(labels).__name__}.") from error
    if labels.ndim != 1 or labels.is_floating_point() or labels.dtype == torch.bool:
        raise ValueError(f"{owner} expects labels of shape (N,) holding integer classes in [0, {num_classes}); "
                         f"got shape {tuple(labels.shape)}, dtype {labels.dtype}.")
    if n is not None and len(labels) != n:
        raise ValueError(f"{owner} expects one label per example: {n} examples, {len(labels)} labels.")
    if labels.numel() and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f"{owner} expects labels in [0, {num_classes}); got values from {labels.min().item()} "
                         f"to {labels.max().item()}.")
    return labels.long()


def _check_image_geometry(owner, image_size, channels):
    image_size = check_int(image_size, "image_size", owner, minimum=1)
    channels = check_widths(channels, "channels", owner, example="(32, 16)")
    factor = 2 ** len(channels)
    if image_size % factor:
        raise ValueError(f"{owner} expects image_size divisible by 2^len(channels) = {factor} (one doubling per "
                         f"stage); got image_size={image_size} with channels={channels}.")
    return image_size, channels, image_size // factor
