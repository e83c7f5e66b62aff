"""The channel autoencoder: a communication system learned end to end (lecture 10).

k bits -> one of M = 2^k messages -> n channel symbols with energy n -> an AWGN channel ->
M logits -> the message guessed (O'Shea & Hoydis 2017). The transmitter and the receiver
are the encoder and the decoder of an autoencoder whose code passes through noise.

- ``ChannelAutoencoder``  transmitter, channel, receiver, bit/message conversion and the
  block error rate by Monte Carlo
- ``train_channel_autoencoder``  cross-entropy on random messages, with Adam
- ``hamming74_encode``, ``hamming74_decode``, ``hamming74_block_error_rate``  the classic
  baseline: the Hamming (7,4) code sent as BPSK over the same channel, decoded from hard
  decisions (syndrome) or by soft-decision maximum likelihood
"""
from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .. import config
from .._validation import check_array, check_batch, check_choice, check_instance, check_int, check_real
from ..config import progress as _progress

__all__ = ["ChannelAutoencoder", "train_channel_autoencoder", "HAMMING74_GENERATOR", "HAMMING74_PARITY_CHECK",
           "hamming74_encode", "hamming74_decode", "hamming74_block_error_rate"]

# Systematic Hamming (7,4) code: codeword c = (d_1..d_4, p_1, p_2, p_3) = d G (mod 2), and
# c H^T = 0 (mod 2) for every codeword. The 7 columns of H are the 7 non-zero 3-bit patterns,
# so a single flipped bit i leaves the syndrome s = r H^T equal to column i of H.
HAMMING74_GENERATOR = np.array([[1, 0, 0, 0, 1, 1, 0],
                                [0, 1, 0, 0, 1, 0, 1],
                                [0, 0, 1, 0, 0, 1, 1],
                                [0, 0, 0, 1, 1, 1, 1]])           # G = [I_4 | P]: (4, 7)
HAMMING74_PARITY_CHECK = np.array([[1, 1, 0, 1, 1, 0, 0],
                                   [1, 0, 1, 1, 0, 1, 0],
                                   [0, 1, 1, 1, 0, 0, 1]])        # H = [P^T | I_3]: (3, 7)


class ChannelAutoencoder(nn.Module):
    """A communication system learned end to end over an AWGN channel (O'Shea & Hoydis 2017).

    k bits form one of M = 2^k messages s. The transmitter maps s (one-hot) to n real
    channel symbols x; a normalisation layer enforces the energy constraint
    ||x||^2 = n (mean energy per symbol 1); the channel adds white Gaussian noise,
    y = x + w, w ~ N(0, sigma^2 I); the receiver turns y into M logits, a guess of s.
    The rate is R = k / n bits per channel use, and at a given Eb/N0 (energy per bit over
    noise density) sigma^2 = 1 / (2 R Eb/N0).

    k: bits per message (M = 2^k <= 2^16); n: channel uses per message; hidden: width of
    the hidden layer of transmitter and receiver (default max(M, 16)).
    """

    def __init__(self, k=4, n=7, hidden=None):
        super().__init__()
        self.k = check_int(k, "k", "ChannelAutoencoder", minimum=1)
        if self.k > 16:
            raise ValueError(f"ChannelAutoencoder expects k <= 16 bits (M = 2^k one-hot messages); got k={k}.")
        self.n = check_int(n, "n", "ChannelAutoencoder", minimum=1)
        self.M = 2 ** self.k
        # O'Shea & Hoydis use M units; very small M (k <= 3) trains poorly with so few ReLUs
        width = max(self.M, 16) if hidden is None else check_int(hidden, "hidden", "ChannelAutoencoder", minimum=1)
        self.transmitter = nn.Sequential(nn.Linear(self.M, width), nn.ReLU(), nn.Linear(width, self.n))
        self.receiver = nn.Sequential(nn.Linear(self.n, width), nn.ReLU(), nn.Linear(width, self.M))

    @property
    def rate(self):
        """R = k / n, bits per channel use."""
        return self.k / self.n

    def noise_std(self, ebno_db):
        """sigma = sqrt(1 / (2 R Eb/N0)) for Eb/N0 given in dB, when each symbol carries energy 1."""
        ebno_db = check_real(ebno_db, "ebno_db", "ChannelAutoencoder.noise_std", allowed="a finite number of dB")
        return math.sqrt(1.0 / (2 * self.rate * 10 ** (ebno_db / 10)))

    def encode(self, messages):
        """Channel symbols x (N, n) with ||x_i||^2 = n for message indices (N,) in [0, M)."""
        messages = self._check_messages(messages)
        x = self.transmitter(F.one_hot(messages, self.M).float())  # (N, n)
        return math.sqrt(self.n) * F.normalize(x, dim=1)           # energy constraint: ||x||^2 = n

    def channel(self, x, ebno_db, generator=None):
        """The AWGN channel y = x + w, w ~ N(0, sigma^2) per real symbol; x (N, n) -> y (N, n)."""
        return x + self.noise_std(ebno_db) * torch.randn(x.shape, generator=generator)

    def decode(self, y):
        """Logits over the M messages for received symbols y (N, n) -> (N, M)."""
        return self.receiver(check_batch(y, "y", type(self).__name__, self.n))

    def forward(self, messages, ebno_db, generator=None):
        """Transmitter -> channel -> receiver: message indices (N,) -> logits (N, M)."""
        return self.decode(self.channel(self.encode(messages), ebno_db, generator))

    def bits_to_messages(self, bits):
        """Bit blocks (N, k) of 0/1, most significant bit first -> message indices (N,)."""
        bits = torch.as_tensor(bits)
        if bits.ndim != 2 or bits.shape[1] != self.k or not torch.all((bits == 0) | (bits == 1)):
            raise ValueError(f"bits_to_messages expects bits of shape (N, {self.k}) holding 0s and 1s; "
                             f"got shape {tuple(bits.shape)}.")
        powers = 2 ** torch.arange(self.k - 1, -1, -1)
        return (bits.long() * powers).sum(dim=1)

    def messages_to_bits(self, messages):
        """Message indices (N,) -> bit blocks (N, k), most significant bit first."""
        messages = self._check_messages(messages)
        powers = 2 ** torch.arange(self.k - 1, -1, -1)
        return (messages[:, None] // powers) % 2

    @torch.no_grad()
    def block_error_rate(self, ebno_db, n_blocks=100_000, seed=0, batch_size=50_000):
        """Fraction of n_blocks random messages the receiver gets wrong at Eb/N0 = ebno_db (dB).

        Monte Carlo with its own generator (seeded by ``seed``), so a call repeats exactly.
        """
        n_blocks = check_int(n_blocks, "n_blocks", "ChannelAutoencoder.block_error_rate", minimum=1)
        generator = config.torch_generator(check_int(seed, "seed", "ChannelAutoencoder.block_error_rate", minimum=0))
        self.eval()
        errors = 0
        for start in range(0, n_blocks, batch_size):
            size = min(batch_size, n_blocks - start)
            messages = torch.randint(self.M, (size,), generator=generator)
            errors += (self(messages, ebno_db, generator).argmax(dim=1) != messages).sum().item()
        return errors / n_blocks

    def _check_messages(self, messages):
        messages = torch.as_tensor(messages)
        if messages.ndim != 1 or messages.dtype.is_floating_point or messages.dtype == torch.bool:
            raise ValueError(f"ChannelAutoencoder expects messages of shape (N,) holding integer indices in [0, {self.M}); "
                             f"got shape {tuple(messages.shape)}, dtype {messages.dtype}.")
        if messages.numel() and (messages.min() < 0 or messages.max() >= self.M):
            raise ValueError(f"ChannelAutoencoder expects message indices in [0, {self.M}) for k={self.k} bits; got "
                             f"values from {messages.min().item()} to {messages.max().item()}.")
        return messages.long()


def train_channel_autoencoder(model, *, steps=2000, batch_size=256, ebno_db=7.0, lr=1e-3, seed=0, progress=True):
    """Train a ``ChannelAutoencoder`` end to end with cross-entropy on random messages, with Adam.

    Each step draws batch_size messages uniformly from [0, M), sends them through the
    noisy channel at the training Eb/N0 (dB), and lowers the cross-entropy between the
    receiver's logits and the messages sent. seed fixes the messages and the noise.
    Returns {"loss": [...], "block_error_rate": [...]}, one entry per step (the error
    rate on that step's batch).
    """
    check_instance(model, "model", "train_channel_autoencoder", ChannelAutoencoder, "a ChannelAutoencoder")
    steps = check_int(steps, "steps", "train_channel_autoencoder", minimum=1)
    batch_size = check_int(batch_size, "batch_size", "train_channel_autoencoder", minimum=1)
    model.noise_std(ebno_db)  # validates ebno_db
    generator = config.torch_generator(check_int(seed, "seed", "train_channel_autoencoder", minimum=0))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = {"loss": [], "block_error_rate": []}
    model.train()
    for _ in _progress(range(steps), desc="steps", disable=not progress):
        messages = torch.randint(model.M, (batch_size,), generator=generator)
        logits = model(messages, ebno_db, generator)
        loss = F.cross_entropy(logits, messages)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history["loss"].append(loss.item())
        history["block_error_rate"].append((logits.argmax(dim=1) != messages).float().mean().item())
    model.eval()
    return history


def hamming74_encode(bits):
    """Codewords c = d G (mod 2) of the Hamming (7,4) code: data bits (N, 4) of 0/1 -> (N, 7), data first."""
    bits = _check_bits(bits, 4, "hamming74_encode")
    return bits @ HAMMING74_GENERATOR % 2


def hamming74_decode(received):
    """Syndrome decoding of hard-decided bits: (N, 7) of 0/1 -> the 4 data bits (N, 4).

    The syndrome s = r H^T (mod 2) is zero for a codeword; otherwise it equals the column of H
    at the position of the flipped bit if exactly one bit flipped, and that bit is flipped
    back. Every single error is corrected; two or more errors give a wrong block.
    """
    received = _check_bits(received, 7, "hamming74_decode").copy()
    syndrome = received @ HAMMING74_PARITY_CHECK.T % 2                  # (N, 3)
    matches = np.all(syndrome[:, None, :] == HAMMING74_PARITY_CHECK.T[None], axis=2)  # (N, 7): which column
    received[matches] ^= 1                                              # flip the bit the syndrome names
    return received[:, :4]                                              # systematic: data bits first


def hamming74_block_error_rate(ebno_db, n_blocks=100_000, seed=0, decoder="hard"):
    """Block error rate of the Hamming (7,4) code sent as BPSK over AWGN, by Monte Carlo.

    Each codeword bit c becomes one symbol x = 1 - 2c (energy 1 per symbol, ||x||^2 = 7 = n,
    the normalisation of ``ChannelAutoencoder(k=4, n=7)``), and the channel adds noise of
    variance sigma^2 = 1 / (2 R Eb/N0) with R = 4/7. decoder "hard": decide each bit by the
    sign of y, then ``hamming74_decode``; "ml": soft-decision maximum likelihood, the codeword
    nearest to y in Euclidean distance (among the 16). ``dlcourse.rng(seed)`` draws the data
    bits and the noise. Returns the fraction of the n_blocks blocks with a wrong data bit.
    """
    ebno_db = check_real(ebno_db, "ebno_db", "hamming74_block_error_rate", allowed="a finite number of dB")
    n_blocks = check_int(n_blocks, "n_blocks", "hamming74_block_error_rate", minimum=1)
    decoder = check_choice(decoder, "decoder", "hamming74_block_error_rate", ("hard", "ml"))
    rng = config.rng(check_int(seed, "seed", "hamming74_block_error_rate", minimum=0))
    bits = rng.integers(0, 2, size=(n_blocks, 4))                       # (N, 4)
    x = 1.0 - 2.0 * hamming74_encode(bits)                              # BPSK: 0 -> +1, 1 -> -1; (N, 7)
    sigma = math.sqrt(1.0 / (2 * (4 / 7) * 10 ** (ebno_db / 10)))
    y = x + sigma * rng.normal(size=x.shape)                            # AWGN
    if decoder == "hard":
        decoded = hamming74_decode((y < 0).astype(np.int64))
    else:
        messages = np.array([[(m >> (3 - j)) & 1 for j in range(4)] for m in range(16)])  # (16, 4)
        codewords = 1.0 - 2.0 * hamming74_encode(messages)             # (16, 7)
        decoded = messages[np.argmax(y @ codewords.T, axis=1)]          # equal energies: nearest = largest correlation
    return float(np.mean(np.any(decoded != bits, axis=1)))


def _check_bits(bits, width, function):
    bits = check_array(bits, "bits", function, shape=(None, width), dtype=None,
                       allowed=f"an array of shape (N, {width}) holding 0s and 1s")
    if not np.all((bits == 0) | (bits == 1)):
        raise ValueError(f"{function} expects bits holding only 0s and 1s; got values {np.unique(bits)[:5].tolist()}.")
    return bits.astype(np.int64)
