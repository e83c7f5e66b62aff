"""A character-level recurrent language model and its sampler (lecture 09; Karpathy 2015).

The model reads a text one character at a time and, after every character, gives a
distribution over the next one::

    x_t = embed(c_t)                        # a learned vector, or the one-hot vector of c_t
    h_t, state_t = cell(x_t, state_{t-1})   # an LSTM, a GRU or a plain tanh RNN
    logits_t = W_hy h_t + b_y               # (V,) scores: p(c_{t+1} | c_1..c_t) = softmax(logits_t)

Training lowers the cross-entropy of the true next character, in nats per character (divide by
ln 2 for bits per character). Generating feeds the model's own choice back in: draw c_{t+1}
from softmax(logits_t / temperature), read it, repeat.

- ``CharVocabulary``  characters <-> integer ids 0..V-1
- ``CharLM``          the model, a ``torch.nn.Module``: ids (N, T) -> logits (N, T, V) and the state
- ``sample_text``     text from a prompt, the same text for the same seed
- ``train_charlm``    Adam on random windows of the text, with gradient clipping; returns a history

One step of ``train_charlm`` (truncated backpropagation through time)::

    windows = N random slices of T + 1 characters of the text      # (N, T+1), each from a zero state
    loss = mean_t cross_entropy(logits_t, c_{t+1})                 # L1  nats per character
    g = grad(loss); g <- g * min(1, max_norm / |g|)                # L2  gradient clipping
    theta <- Adam(theta, g)                                        # L3
"""
from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .. import config
from .._loop import TrainingLog
from .._validation import check_choice, check_instance, check_int, check_real
from ..config import progress as _progress

__all__ = ["CharVocabulary", "CharLM", "sample_text", "train_charlm"]

_CELLS = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}
_INTEGER_DTYPES = (torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8)


class CharVocabulary:
    """The characters of a text, numbered 0..size-1 in sorted order.

    ``chars[i]`` is the character with id i. ``encode`` turns a string into ids,
    ``decode`` turns ids back into a string: ``vocab.decode(vocab.encode(s)) == s`` for every
    string s made of the vocabulary's characters.
    """

    def __init__(self, text):
        check_instance(text, "text", "CharVocabulary", str, "a non-empty string to collect its characters from")
        if not text:
            raise ValueError("CharVocabulary expects text to be a non-empty string to collect its characters from; "
                             "got an empty string.")
        self.chars = sorted(set(text))
        self._ids = {char: i for i, char in enumerate(self.chars)}

    @property
    def size(self) -> int:
        """V, the number of distinct characters."""
        return len(self.chars)

    def __len__(self) -> int:
        return self.size

    def __contains__(self, char) -> bool:
        return char in self._ids

    def __repr__(self) -> str:
        return f"CharVocabulary(size={self.size})"

    def encode(self, text) -> torch.Tensor:
        """The ids of the characters of ``text``: a LongTensor of shape (len(text),)."""
        check_instance(text, "text", "CharVocabulary.encode", str, "a string")
        unknown = sorted(set(text) - set(self._ids))
        if unknown:
            shown = ", ".join(repr(c) for c in unknown[:10]) + (", ..." if len(unknown) > 10 else "")
            raise ValueError(f"CharVocabulary.encode got characters that are not in the vocabulary: {shown}; "
                             f"use only the {self.size} characters of the text it was built from "
                             "(see vocab.chars).")
        return torch.tensor([self._ids[c] for c in text], dtype=torch.long)

    def decode(self, ids) -> str:
        """The string of the ids: a 1-D LongTensor, NumPy integer array or list of ints in 0..size-1."""
        values = ids.detach().cpu().numpy() if isinstance(ids, torch.Tensor) else np.asarray(ids)
        if values.size == 0:
            return ""
        if values.dtype.kind not in "iu":
            raise TypeError(f"CharVocabulary.decode expects ids to be a 1-D sequence of integer ids; got "
                            f"{values.dtype} ({_describe(ids)}).")
        if values.ndim != 1:
            raise ValueError(f"CharVocabulary.decode expects ids to be a 1-D sequence of integer ids; got "
                             f"shape {values.shape} ({_describe(ids)}).")
        bad = values[(values < 0) | (values >= self.size)]
        if bad.size:
            raise ValueError(f"CharVocabulary.decode expects ids in 0..{self.size - 1}; got {int(bad[0])}.")
        return "".join(self.chars[i] for i in values.tolist())


class CharLM(nn.Module):
    """Embedding (or one-hot) -> recurrent layer(s) -> linear layer to one score per character.

    vocab_size V; hidden_size H; cell "lstm" (Hochreiter & Schmidhuber 1997), "gru"
    (Cho et al. 2014) or "rnn" (tanh); num_layers stacked recurrent layers;
    embedding_dim E: each character becomes a learned vector of E numbers, or, with None,
    its one-hot vector of V numbers (as in Karpathy's char-rnn).

    ``forward(ids, state=None)``: ids (N, T), a LongTensor of character ids, and the state of
    the recurrent layers after an earlier chunk (None: zeros). Returns (logits, state):
    logits (N, T, V), where logits[:, t] scores the character that follows ids[:, t], and
    the new state, torch's (h_n, c_n) for an LSTM (each (num_layers, N, H)) or h_n for a GRU
    or RNN. Feed the state back in to continue the same texts.
    """

    def __init__(self, vocab_size, hidden_size=128, cell="lstm", embedding_dim=None, num_layers=1):
        super().__init__()
        self.vocab_size = check_int(vocab_size, "vocab_size", "CharLM", minimum=1)
        self.hidden_size = check_int(hidden_size, "hidden_size", "CharLM", minimum=1)
        self.num_layers = check_int(num_layers, "num_layers", "CharLM", minimum=1)
        self.cell = check_choice(cell, "cell", "CharLM", _CELLS)
        if embedding_dim is None:
            self.embedding, input_size = None, self.vocab_size
        else:
            input_size = check_int(embedding_dim, "embedding_dim", "CharLM", minimum=1)
            self.embedding = nn.Embedding(self.vocab_size, input_size)
        self.rnn = _CELLS[cell](input_size, self.hidden_size, num_layers=self.num_layers, batch_first=True)
        self.head = nn.Linear(self.hidden_size, self.vocab_size)  # W_hy, b_y

    def forward(self, ids, state=None):
        _check_ids("CharLM.forward", ids, self.vocab_size)
        ids = ids.long()  # one_hot and the embedding index with int64
        if self.embedding is not None:
            x = self.embedding(ids)  # (N, T, E)
        else:
            x = F.one_hot(ids, self.vocab_size).to(self.head.weight.dtype)  # (N, T, V)
        if state is not None:
            self._check_state(state, ids.shape[0])
        outputs, state = self.rnn(x, state)  # (N, T, H): h_t of the last layer at every step
        return self.head(outputs), state  # (N, T, V)

    def _check_state(self, state, batch):
        expected = (self.num_layers, batch, self.hidden_size)
        if self.cell == "lstm":
            what = "a pair (h, c) of tensors"
            ok = isinstance(state, (tuple, list)) and len(state) == 2 and all(_has_shape(t, expected) for t in state)
        else:
            what = "a tensor"
            ok = _has_shape(state, expected)
        if not ok:
            got = (", ".join(_describe(t) for t in state) if isinstance(state, (tuple, list)) else _describe(state))
            raise ValueError(f"CharLM.forward expects state to be {what} of shape (num_layers, N, hidden_size) = "
                             f"{expected}, as returned by an earlier call, or None; got {got}.")

    def extra_repr(self) -> str:
        return f"vocab_size={self.vocab_size}, cell={self.cell!r}"


@torch.no_grad()
def sample_text(model, vocab, prompt, length, temperature=1.0, seed=0) -> str:
    """Generate text: read ``prompt``, then draw ``length`` characters one at a time.

    Each new character is drawn from softmax(logits / temperature) and fed back in.
    temperature > 0: 1 samples from the model's distribution, below 1 sharpens it towards
    the most likely character (as temperature -> 0 sampling becomes greedy, argmax),
    above 1 flattens it. The draws use their own generator seeded with ``seed``, so the
    same model, prompt and seed give the same text, and the global random state is untouched.
    The model runs in evaluation mode and is put back in its previous mode afterwards.
    Returns the prompt followed by the ``length`` new characters.
    """
    check_instance(model, "model", "sample_text", CharLM, "a CharLM")
    check_instance(vocab, "vocab", "sample_text", CharVocabulary, "a CharVocabulary")
    if vocab.size != model.vocab_size:
        raise ValueError(f"sample_text got a vocabulary of {vocab.size} characters for a model with "
                         f"vocab_size={model.vocab_size}; pass the vocabulary the model was built for.")
    check_instance(prompt, "prompt", "sample_text", str, "a string of at least one character to start from")
    if not prompt:
        raise ValueError("sample_text expects a prompt of at least one character to start from; got an empty string.")
    length = check_int(length, "length", "sample_text", minimum=0)
    temperature = check_real(temperature, "temperature", "sample_text", minimum=0, open_minimum=True,
                             allowed="a positive number (1.0 samples the model's distribution, smaller is greedier)")
    generator = config.torch_generator(check_int(seed, "seed", "sample_text", minimum=0))
    prompt_ids = vocab.encode(prompt)[None]  # (1, P)
    was_training = model.training
    model.eval()
    try:
        logits, state = model(prompt_ids)  # the last step's logits score the first new character
        new_ids = []
        for _ in range(length):
            # float64: a tiny temperature divides the logits into the thousands, where float32 softmax loses the argmax
            probabilities = torch.softmax(logits[0, -1].double() / temperature, dim=0)  # (V,)
            next_id = torch.multinomial(probabilities, 1, generator=generator)  # (1,)
            new_ids.append(int(next_id))
            logits, state = model(next_id.view(1, 1), state)
    finally:
        model.train(was_training)
    return prompt + vocab.decode(new_ids)


def train_charlm(model, ids, *, steps, seq_len=64, batch_size=32, lr=3e-3, max_grad_norm=1.0,
                 val_ids=None, eval_every=100, seed=0, progress=True):
    """Train a CharLM with Adam on random windows of a text; returns the history.

    ids: the training text as ids (L,) (``vocab.encode(text)``), with L > seq_len.
    Each of the ``steps`` steps draws ``batch_size`` windows of seq_len + 1 characters at
    random places (truncated backpropagation through time: the gradient flows back at most
    seq_len steps, and every window starts from a zero state). The inputs are the first
    seq_len characters, the targets the same window shifted by one, and the loss is the mean
    cross-entropy of all N * seq_len predictions. Before each Adam step (learning rate lr) the
    gradient is clipped to norm ``max_grad_norm`` (Pascanu et al. 2013); None turns clipping off.
    val_ids: optional validation text as ids (L_val,), L_val >= 2; its loss is measured every
    ``eval_every`` steps and after the last one, reading it in one pass from a zero state.
    seed: seed of the generator that places the windows (the model's initial weights are
    fixed by seeding torch before building it, e.g. ``dlcourse.seed_everything``).

    Returns a dict of lists: "loss" (training loss of every step, nats per character),
    "grad_norm" (the gradient norm of every step, before clipping), and with val_ids
    "val_step" (the steps measured) and "val_loss" (nats per character at those steps).
    The model is left in evaluation mode.
    """
    steps, seq_len, batch_size, eval_every, lr, max_grad_norm, ids, val_ids, seed = _check_training(
        model, ids, val_ids, steps, seq_len, batch_size, eval_every, lr, max_grad_norm, seed)
    generator = config.torch_generator(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    offsets = torch.arange(seq_len + 1)  # (T+1,)
    names = ["loss", "grad_norm"] + (["val_step", "val_loss"] if val_ids is not None else [])

    with TrainingLog(names, live=False, xlabel="step") as log:
        for step in _progress(range(1, steps + 1), desc="steps", disable=not progress):
            model.train()
            starts = torch.randint(0, len(ids) - seq_len, (batch_size,), generator=generator)  # (N,)
            windows = ids[starts[:, None] + offsets]  # (N, T+1)
            inputs, targets = windows[:, :-1], windows[:, 1:]  # (N, T) each: targets are the inputs shifted by one
            logits, _ = model(inputs)  # (N, T, V)
            loss = F.cross_entropy(logits.reshape(-1, model.vocab_size), targets.reshape(-1))  # L1
            optimizer.zero_grad()
            loss.backward()
            # L2; with max_norm=inf the call only measures the norm
            grad_norm = nn.utils.clip_grad_norm_(model.parameters(),
                                                 math.inf if max_grad_norm is None else max_grad_norm)
            optimizer.step()  # L3
            log.record(step, loss=loss, grad_norm=grad_norm)
            if val_ids is not None and (step % eval_every == 0 or step == steps):
                log.record(step, val_step=step, val_loss=_text_loss(model, val_ids, chunk=max(seq_len, 256)))
    model.eval()
    return log.history


@torch.no_grad()
def _text_loss(model, ids, chunk):
    """Mean cross-entropy (nats) of predicting ids[1:] from ids[:-1], read in one pass in chunks.

    The state is carried from chunk to chunk, so every prediction sees the whole text before it.
    """
    model.eval()
    inputs, targets = ids[:-1], ids[1:]
    total, state = 0.0, None
    for start in range(0, len(inputs), chunk):
        logits, state = model(inputs[start:start + chunk][None], state)  # (1, chunk, V)
        total += F.cross_entropy(logits[0], targets[start:start + chunk], reduction="sum").item()
    return total / len(targets)


# ---------------------------------------------------------------------------- helpers
def _describe(value) -> str:
    if isinstance(value, str):
        return "an empty string" if not value else f"the string {value[:20]!r}"
    if hasattr(value, "shape"):
        return f"{type(value).__name__} of shape {tuple(value.shape)}"
    return type(value).__name__


def _has_shape(value, shape) -> bool:
    return isinstance(value, torch.Tensor) and tuple(value.shape) == shape


def _check_ids(where, ids, vocab_size):
    """ids must be an integer tensor (N, T) with entries in 0..vocab_size-1."""
    if not isinstance(ids, torch.Tensor) or ids.dtype not in _INTEGER_DTYPES:
        what = f"a {ids.dtype} tensor" if isinstance(ids, torch.Tensor) else _describe(ids)
        raise TypeError(f"{where} expects ids to be a LongTensor of character ids of shape (N, T) "
                        f"(e.g. vocab.encode(text)[None]); got {what}.")
    if ids.ndim != 2 or 0 in ids.shape:
        raise ValueError(f"{where} expects ids of shape (N, T), one row of character ids per text "
                         f"(use ids[None] for a single text); got shape {tuple(ids.shape)}.")
    low, high = int(ids.min()), int(ids.max())
    if low < 0 or high >= vocab_size:
        raise ValueError(f"{where} expects character ids in 0..{vocab_size - 1} (vocab_size={vocab_size}); "
                         f"got {low if low < 0 else high}.")


def _check_training(model, ids, val_ids, steps, seq_len, batch_size, eval_every, lr, max_grad_norm, seed):
    """train_charlm's arguments, checked and converted, in the order of its signature."""
    check_instance(model, "model", "train_charlm", CharLM, "a CharLM")
    steps, seq_len, batch_size, eval_every = (check_int(value, name, "train_charlm", minimum=1) for name, value in
                                              (("steps", steps), ("seq_len", seq_len), ("batch_size", batch_size),
                                               ("eval_every", eval_every)))
    lr = check_real(lr, "lr", "train_charlm", minimum=0, open_minimum=True)
    if max_grad_norm is not None:
        max_grad_norm = check_real(max_grad_norm, "max_grad_norm", "train_charlm", minimum=0, open_minimum=True)
    ids = _check_text_ids("train_charlm", "ids", ids, model.vocab_size, min_length=seq_len + 1)
    if val_ids is not None:
        val_ids = _check_text_ids("train_charlm", "val_ids", val_ids, model.vocab_size, min_length=2)
    seed = check_int(seed, "seed", "train_charlm", minimum=0)
    return steps, seq_len, batch_size, eval_every, lr, max_grad_norm, ids, val_ids, seed


def _check_text_ids(where, name, ids, vocab_size, min_length):
    """A whole text as ids: a 1-D integer tensor of at least min_length entries, as int64."""
    allowed = "a 1-D LongTensor of character ids (vocab.encode(text))"
    if not isinstance(ids, torch.Tensor) or ids.dtype not in _INTEGER_DTYPES:
        what = f"a {ids.dtype} tensor" if isinstance(ids, torch.Tensor) else _describe(ids)
        raise TypeError(f"{where} expects {name} to be {allowed}; got {what}.")
    if ids.ndim != 1:
        raise ValueError(f"{where} expects {name} to be {allowed}; got a tensor of shape {tuple(ids.shape)}.")
    if len(ids) < min_length:
        raise ValueError(f"{where} expects {name} to hold at least {min_length} characters; got {len(ids)}.")
    _check_ids(where, ids.long()[None], vocab_size)
    return ids.long()
