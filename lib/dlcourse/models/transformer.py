"""Attention and transformers in PyTorch (lecture 19).

Scaled dot-product attention (Vaswani et al. 2017) lets every position of a sequence read
every other position, weighted by how well its query matches their keys::

    Q = X W_q,  K = X W_k,  V = X W_v                  # T1  per head: (N, T, d_k), d_k = d_model / heads
    scores = Q K^T / sqrt(d_k)                         # T2  (N, heads, T, T)
    scores[t, s] = -inf  where s > t (causal)          # T3  or where token s is padding
    A = softmax(scores) over s                         # T4  each row sums to 1
    MHA(X) = concat_heads(A V) W_o                     # T5
    FFN(x) = max(0, x W_1 + b_1) W_2 + b_2             # T6  the same two layers at every position

A transformer block puts the two sub-layers behind residual connections and LayerNorms::

    pre-norm  (Xiong et al. 2020):   x = x + MHA(LN(x));   x = x + FFN(LN(x))      # T7
    post-norm (Vaswani et al. 2017): x = LN(x + MHA(x));   x = LN(x + FFN(x))      # T7'

Attention has no notion of order, so the position enters through the input: a learned
vector per position, or the sinusoids of Vaswani et al. (2017)::

    PE[p, 2i] = sin(p / 10000^(2i/d)),   PE[p, 2i+1] = cos(p / 10000^(2i/d))   # T8

Before transformers, attention was added to a recurrent encoder-decoder (Bahdanau, Cho &
Bengio 2015): at each output step the decoder scores every encoder state h_j with its own
previous state s_{t-1} and reads their weighted mean::

    e_tj = v^T tanh(W_s s_{t-1} + W_h h_j)             # B1  additive attention
    alpha_tj = softmax_j(e_tj);  c_t = sum_j alpha_tj h_j   # B2  the context vector

- ``TransformerBlock``        one block from torch primitives, causal and padding masks, ``last_attention``
- ``CharTransformer``         a character-level language model: embeddings, positions, causal blocks, head
- ``sinusoidal_positions``    the table PE of T8
- ``train_char_transformer``  ``train_charlm``'s loop run on a CharTransformer (same loss, same history)
- ``Seq2Seq``                 GRU encoder-decoder with or without additive attention, greedy decoding
- ``reversal_batch``, ``train_seq2seq``, ``reversal_accuracy``  the task that shows the fixed-size
  bottleneck: read a string of random digits, write it backwards
"""
from __future__ import annotations

import contextlib
import math

import torch
from torch import nn

from .. import config
from ..config import progress as _progress
from .._validation import check_choice, check_flag, check_instance, check_int, check_real
from .charlm import CharLM, _check_ids, train_charlm

__all__ = ["TransformerBlock", "CharTransformer", "sinusoidal_positions", "train_char_transformer", "Seq2Seq",
           "reversal_batch", "train_seq2seq", "reversal_accuracy"]

_POSITIONS = ("sinusoidal", "learned")


class TransformerBlock(nn.Module):
    """One transformer block: multi-head self-attention and a feed-forward layer (T1-T7).

    d_model: width of every position's vector; heads: number of attention heads, dividing
    d_model (each head works in d_k = d_model / heads dimensions); d_ff: width of the hidden
    layer of the feed-forward sub-layer; norm_first: True for pre-norm (Xiong et al. 2020),
    False for post-norm (Vaswani et al. 2017); dropout: the probability of dropout on the
    attention weights and after each sub-layer, as in torch.nn.TransformerEncoderLayer.
    seed: initial weights drawn from torch seeded with it (the global generator left as it
    was); None draws from the global generator, as torch's layers do.

    ``forward(x, causal=False, padding=None)``: x (N, T, d_model); causal: position t
    attends only to positions 0..t; padding: optional (N, T) bool tensor, True at real
    tokens, False at padding, which no position attends to (pad at the end, so every
    position sees at least one real token). Returns (N, T, d_model).
    ``last_attention``: the weights A of the last call, (N, heads, T, T), detached;
    A[n, h, t, s] is how much position t reads position s in head h.
    """

    def __init__(self, d_model, heads, d_ff, norm_first=True, dropout=0.0, seed=None):
        super().__init__()
        self.d_model = check_int(d_model, "d_model", "TransformerBlock", minimum=1)
        self.heads = check_int(heads, "heads", "TransformerBlock", minimum=1)
        if self.d_model % self.heads:
            raise ValueError(f"TransformerBlock expects heads to divide d_model, so that every head gets "
                             f"d_model / heads dimensions; got d_model={self.d_model}, heads={self.heads}.")
        self.d_k = self.d_model // self.heads
        self.d_ff = check_int(d_ff, "d_ff", "TransformerBlock", minimum=1)
        self.norm_first = check_flag(norm_first, "norm_first", "TransformerBlock")
        dropout = check_real(dropout, "dropout", "TransformerBlock", minimum=0, maximum=1, open_maximum=True)
        with _seeded(seed, "TransformerBlock"):
            self.W_q = nn.Linear(self.d_model, self.d_model)
            self.W_k = nn.Linear(self.d_model, self.d_model)
            self.W_v = nn.Linear(self.d_model, self.d_model)
            self.W_o = nn.Linear(self.d_model, self.d_model)
            self.norm_attention = nn.LayerNorm(self.d_model)
            self.norm_feed_forward = nn.LayerNorm(self.d_model)
            self.feed_forward = nn.Sequential(nn.Linear(self.d_model, self.d_ff), nn.ReLU(),  # T6
                                              nn.Dropout(dropout), nn.Linear(self.d_ff, self.d_model))
        self.dropout = nn.Dropout(dropout)
        self.last_attention = None

    def forward(self, x, causal=False, padding=None):
        _check_sequence("TransformerBlock.forward", x, self.d_model)
        causal = check_flag(causal, "causal", "TransformerBlock.forward")
        if padding is not None:
            _check_padding("TransformerBlock.forward", padding, x.shape[:2])
        if self.norm_first:  # T7
            x = x + self.dropout(self.attention(self.norm_attention(x), causal, padding))
            x = x + self.dropout(self.feed_forward(self.norm_feed_forward(x)))
        else:  # T7'
            x = self.norm_attention(x + self.dropout(self.attention(x, causal, padding)))
            x = self.norm_feed_forward(x + self.dropout(self.feed_forward(x)))
        return x

    def attention(self, x, causal=False, padding=None):
        """Multi-head self-attention MHA(x) alone (T1-T5): x (N, T, d_model) -> (N, T, d_model)."""
        N, T, _ = x.shape

        def split_heads(z):  # (N, T, d_model) -> (N, heads, T, d_k)
            return z.view(N, T, self.heads, self.d_k).transpose(1, 2)

        Q, K, V = split_heads(self.W_q(x)), split_heads(self.W_k(x)), split_heads(self.W_v(x))  # T1
        scores = Q @ K.transpose(-2, -1) / math.sqrt(self.d_k)  # T2 (N, heads, T, T); sqrt(d_k) keeps softmax soft
        if causal:  # T3: exp(-inf) = 0, so a future position gets exactly zero weight and zero gradient
            future = torch.ones(T, T, dtype=torch.bool, device=x.device).triu(diagonal=1)  # (T, T), s > t
            scores = scores.masked_fill(future, float("-inf"))
        if padding is not None:
            scores = scores.masked_fill(~padding[:, None, None, :], float("-inf"))  # (N, 1, 1, T): key s is padding
        A = torch.softmax(scores, dim=-1)  # T4
        self.last_attention = A.detach()
        heads = self.dropout(A) @ V  # (N, heads, T, d_k)
        return self.W_o(heads.transpose(1, 2).reshape(N, T, self.d_model))  # T5: concatenate the heads

    def extra_repr(self) -> str:
        return f"d_model={self.d_model}, heads={self.heads}, d_ff={self.d_ff}, norm_first={self.norm_first}"


def sinusoidal_positions(length, d_model) -> torch.Tensor:
    """The positional encodings of Vaswani et al. (2017), a float32 tensor (length, d_model) (T8).

    PE[p, 2i] = sin(p / 10000^(2i/d_model)) and PE[p, 2i+1] = cos(p / 10000^(2i/d_model)):
    each pair of columns turns at its own frequency, from one turn per 2 pi positions
    (i = 0) down to almost one per 10000 * 2 pi, so nearby positions get similar vectors and
    PE[p + k] is a fixed rotation of PE[p] for every p. An odd d_model drops the last cosine.
    """
    length = check_int(length, "length", "sinusoidal_positions", minimum=1)
    d_model = check_int(d_model, "d_model", "sinusoidal_positions", minimum=1)
    p = torch.arange(length, dtype=torch.float64)[:, None]  # (length, 1)
    two_i = torch.arange(0, d_model, 2, dtype=torch.float64)  # (ceil(d/2),): 2i
    angles = p / 10000.0 ** (two_i / d_model)  # (length, ceil(d/2))
    table = torch.zeros(length, d_model, dtype=torch.float64)
    table[:, 0::2] = torch.sin(angles)
    table[:, 1::2] = torch.cos(angles[:, :d_model // 2])
    return table.float()


class CharTransformer(nn.Module):
    """A character-level transformer language model (a decoder-only transformer, as GPT).

    vocab_size V; d_model d; heads per block; layers L causal pre-norm TransformerBlocks;
    d_ff f the feed-forward width; context: the longest input T it reads (and the farthest
    back it can look); positions: "sinusoidal" (fixed, T8) or "learned" (an
    nn.Embedding(context, d)); dropout: the probability of dropout inside every block (on a
    corpus of a few thousand characters a transformer memorises it without some); seed:
    initial weights drawn from torch seeded with it, the global generator left as it was.

    ids (N, T) -> x = embed(ids) + P[:T] -> L causal blocks -> LayerNorm -> Linear -> logits.

    ``forward(ids)``: ids (N, T) integer character ids, T <= context. Returns logits
    (N, T, V): logits[:, t] scores the character after ids[:, t] and depends only on
    ids[:, :t+1]. Unlike CharLM there is no state: ``as_charlm()`` gives the CharLM-shaped
    view that ``train_charlm`` and ``sample_text`` take.
    ``attention_maps(ids)``: the attention weights of every block, a list of L tensors
    (N, heads, T, T).

    Number of parameters, with P = context * d for learned positions and 0 for sinusoidal::

        V d  +  P  +  L (4 d^2 + 2 d f + 9 d + f)  +  2 d  +  (d + 1) V

    (token embedding; positions; per block 4 (d^2 + d) in W_q, W_k, W_v, W_o, 2 (2 d) in two
    LayerNorms, d f + f + f d + d in the feed-forward layers; the final LayerNorm; the head).
    """

    def __init__(self, vocab_size, d_model=64, heads=4, layers=2, d_ff=256, context=64, positions="sinusoidal",
                 dropout=0.0, seed=0):
        super().__init__()
        self.vocab_size = check_int(vocab_size, "vocab_size", "CharTransformer", minimum=1)
        self.d_model = check_int(d_model, "d_model", "CharTransformer", minimum=1)
        self.context = check_int(context, "context", "CharTransformer", minimum=1)
        layers = check_int(layers, "layers", "CharTransformer", minimum=1)
        self.positions = check_choice(positions, "positions", "CharTransformer", _POSITIONS)
        with _seeded(seed, "CharTransformer"):
            self.token_embedding = nn.Embedding(self.vocab_size, self.d_model)
            if self.positions == "learned":
                self.position_embedding = nn.Embedding(self.context, self.d_model)
            else:  # a buffer: moves with .to() and .double(), but is not trained
                self.position_embedding = None
                self.register_buffer("position_table", sinusoidal_positions(self.context, self.d_model),
                                     persistent=False)
            self.blocks = nn.ModuleList(TransformerBlock(self.d_model, heads, d_ff, norm_first=True, dropout=dropout)
                                        for _ in range(layers))
            self.norm = nn.LayerNorm(self.d_model)
            self.head = nn.Linear(self.d_model, self.vocab_size)

    def forward(self, ids):
        _check_ids("CharTransformer.forward", ids, self.vocab_size)
        T = ids.shape[1]
        if T > self.context:
            raise ValueError(f"CharTransformer.forward expects at most context={self.context} characters per row; "
                             f"got ids of shape {tuple(ids.shape)} (feed the last {self.context} characters).")
        ids = ids.long()
        if self.position_embedding is not None:
            positions = self.position_embedding(torch.arange(T, device=ids.device))  # (T, d)
        else:
            positions = self.position_table[:T]  # (T, d)
        x = self.token_embedding(ids) + positions  # (N, T, d)
        for block in self.blocks:
            x = block(x, causal=True)
        return self.head(self.norm(x))  # (N, T, V)

    @torch.no_grad()
    def attention_maps(self, ids):
        """The attention weights of every block for ids (N, T): a list of (N, heads, T, T) tensors."""
        self(ids)
        return [block.last_attention for block in self.blocks]

    def as_charlm(self):
        """This model seen as a CharLM, for ``train_charlm`` and ``sample_text``.

        The view shares this model's parameters. Its forward(ids, state=None) returns
        (logits, state) as CharLM's does; the state is the last context - 1 characters read,
        and every character is predicted from the up to ``context`` characters before it
        (a sliding window), however long the input.
        """
        return _CharLMView(self)

    def extra_repr(self) -> str:
        return f"vocab_size={self.vocab_size}, context={self.context}, positions={self.positions!r}"


class _CharLMView(CharLM):
    """A CharTransformer behind CharLM's interface: ids (N, T) and state -> (logits, state).

    It subclasses CharLM only because train_charlm and sample_text check for one; it builds
    none of CharLM's layers. The state, the last context - 1 ids, plays the part of the
    recurrent state: reading a text in chunks gives the same logits as reading it whole.
    """

    def __init__(self, transformer):
        nn.Module.__init__(self)  # not CharLM.__init__: the transformer holds every parameter
        self.transformer = transformer
        self.vocab_size = transformer.vocab_size

    def forward(self, ids, state=None):
        _check_ids("CharTransformer.as_charlm().forward", ids, self.vocab_size)
        ids = ids.long()
        context, T = self.transformer.context, ids.shape[1]
        text = ids if state is None else torch.cat([state, ids], dim=1)  # (N, S + T)
        first = self.transformer(text[:, :context])  # (N, min(S + T, context), V)
        if text.shape[1] > context:
            # every later character gets its own window of the context characters ending at it
            windows = text.unfold(1, context, 1)[:, 1:]  # (N, S + T - context, context)
            later = self.transformer(windows.reshape(-1, context))[:, -1]  # (N * (S + T - context), V)
            first = torch.cat([first, later.view(len(text), -1, self.vocab_size)], dim=1)
        return first[:, -T:], text[:, -(context - 1):] if context > 1 else text[:, :0]

    def extra_repr(self) -> str:
        return "a CharTransformer seen as a CharLM"


def train_char_transformer(model, ids, *, steps, seq_len=None, batch_size=32, lr=3e-3, max_grad_norm=1.0,
                           val_ids=None, eval_every=100, seed=0, progress=True):
    """Train a CharTransformer with ``train_charlm``'s loop; returns the same history.

    The same steps as for a CharLM (random windows of seq_len + 1 characters, mean
    cross-entropy in nats per character, clipping, Adam), so the two models' losses compare
    directly (divide by ln 2 for bits per character). seq_len defaults to the model's
    context and may not exceed it. The validation loss predicts every character of val_ids
    from the up to ``context`` characters before it. See ``train_charlm`` for the rest.
    """
    check_instance(model, "model", "train_char_transformer", CharTransformer, "a CharTransformer")
    seq_len = model.context if seq_len is None else check_int(
        seq_len, "seq_len", "train_char_transformer", minimum=1, maximum=model.context,
        allowed=f"a positive integer at most the model's context, {model.context}")
    return train_charlm(model.as_charlm(), ids, steps=steps, seq_len=seq_len, batch_size=batch_size, lr=lr,
                        max_grad_norm=max_grad_norm, val_ids=val_ids, eval_every=eval_every, seed=seed,
                        progress=progress)


# ---------------------------------------------------------------------------- helpers
@contextlib.contextmanager
def _seeded(seed, where):
    """Draw the layers' initial weights from torch seeded with ``seed``, then restore the global
    generator; seed None leaves torch's global generator to draw them."""
    if seed is None:
        yield
        return
    seed = config.shifted_seed(check_int(seed, "seed", where, minimum=0))
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


def _describe(value) -> str:
    if isinstance(value, torch.Tensor):
        return f"a {value.dtype} tensor of shape {tuple(value.shape)}"
    return type(value).__name__


def _check_sequence(where, x, width):
    """x must be a float tensor (N, T, width) with N, T >= 1."""
    expected = f"(N, T, d_model) = (N, T, {width})"
    if not isinstance(x, torch.Tensor) or not x.is_floating_point():
        raise TypeError(f"{where} expects x to be a float tensor of shape {expected}; got {_describe(x)}.")
    if x.ndim != 3 or x.shape[-1] != width or 0 in x.shape:
        raise ValueError(f"{where} expects x of shape {expected} (use x[None] for a single sequence); "
                         f"got shape {tuple(x.shape)}.")


def _check_padding(where, padding, shape):
    """padding must be a bool tensor (N, T), True at the real tokens."""
    expected = f"a bool tensor of shape (N, T) = {tuple(shape)}, True at real tokens"
    if not isinstance(padding, torch.Tensor) or padding.dtype != torch.bool:
        raise TypeError(f"{where} expects padding to be {expected}; got {_describe(padding)}.")
    if tuple(padding.shape) != tuple(shape):
        raise ValueError(f"{where} expects padding to be {expected}; got shape {tuple(padding.shape)}.")


class Seq2Seq(nn.Module):
    """A GRU encoder-decoder, with or without additive attention (Bahdanau, Cho & Bengio 2015).

    vocab_size V: source and target share the ids, and one of them serves as the start
    symbol fed to the decoder first; hidden H: the width of the embeddings and of every GRU;
    attention: with True the decoder reads a fresh context c_t from every encoder state at
    each step (B1-B2), with False it knows the source only through its first state s_0, one
    fixed-size vector (Cho et al. 2014; Sutskever et al. 2014); bidirectional: the encoder
    reads the source both ways, as Bahdanau et al.'s does, so h_j = [forward h_j; backward h_j]
    (2H numbers) describes the source around j from both sides; else one forward GRU (H).
    seed: initial weights drawn from torch seeded with it, the global generator left as it was.

    One decoder step, from y_{t-1} (the previous target) and s_{t-1}::

        s_0 = tanh(W_init [forward h_S; backward h_1])   (one-way encoder: s_0 = h_S)        # B0
        c_t = sum_j alpha_tj h_j,  alpha_t = softmax_j(v^T tanh(W_s s_{t-1} + W_h h_j))    # B1, B2
        s_t = GRU([embed(y_{t-1}); c_t], s_{t-1});  logits_t = W_y [s_t; c_t] + b_y        # B3
        without attention:  s_t = GRU(embed(y_{t-1}), s_{t-1});  logits_t = W_y s_t + b_y

    ``forward(source, target_inputs)``: source (N, S) ids; target_inputs (N, T) ids, the
    targets shifted right behind the start symbol (teacher forcing: step t reads the true
    y_{t-1}, not the model's guess). Returns logits (N, T, V).
    ``greedy_decode(source, length, start_id)``: (N, length) ids, each step reading the most
    likely previous one. After either call, ``last_attention`` holds alpha, (N, T, S)
    (None without attention).
    """

    def __init__(self, vocab_size, hidden=64, attention=True, bidirectional=True, seed=0):
        super().__init__()
        self.vocab_size = check_int(vocab_size, "vocab_size", "Seq2Seq", minimum=1)
        self.hidden = check_int(hidden, "hidden", "Seq2Seq", minimum=1)
        self.uses_attention = check_flag(attention, "attention", "Seq2Seq")
        self.bidirectional = check_flag(bidirectional, "bidirectional", "Seq2Seq")
        H = self.hidden
        E = 2 * H if self.bidirectional else H  # the width of an encoder state h_j
        read = H + E if self.uses_attention else H  # the decoder reads [embed(y); c_t] or embed(y)
        with _seeded(seed, "Seq2Seq"):
            self.embedding = nn.Embedding(self.vocab_size, H)
            self.encoder = nn.GRU(H, H, batch_first=True, bidirectional=self.bidirectional)
            self.W_init = nn.Linear(2 * H, H) if self.bidirectional else None
            self.decoder = nn.GRUCell(read, H)
            if self.uses_attention:
                self.W_s = nn.Linear(H, H, bias=False)
                self.W_h = nn.Linear(E, H)
                self.v = nn.Linear(H, 1, bias=False)
            self.head = nn.Linear(H + E if self.uses_attention else H, self.vocab_size)
        self.last_attention = None

    def forward(self, source, target_inputs):
        _check_ids("Seq2Seq.forward", source, self.vocab_size)
        _check_ids("Seq2Seq.forward", target_inputs, self.vocab_size)
        if len(target_inputs) != len(source):
            raise ValueError(f"Seq2Seq.forward expects as many target rows as source rows; got source of shape "
                             f"{tuple(source.shape)} and target_inputs of shape {tuple(target_inputs.shape)}.")
        memory = self._encode(source)
        steps = [self._step(y_prev, memory) for y_prev in target_inputs.long().unbind(1)]
        return self._finish(steps)

    @torch.no_grad()
    def greedy_decode(self, source, length, start_id):
        """The most likely next id at every step, fed back in: (N, length) ids."""
        _check_ids("Seq2Seq.greedy_decode", source, self.vocab_size)
        length = check_int(length, "length", "Seq2Seq.greedy_decode", minimum=1)
        start_id = check_int(start_id, "start_id", "Seq2Seq.greedy_decode", minimum=0, maximum=self.vocab_size - 1)
        memory = self._encode(source)
        y_prev, steps = torch.full((len(source),), start_id, dtype=torch.long, device=source.device), []
        for _ in range(length):
            steps.append(self._step(y_prev, memory))
            y_prev = steps[-1][0].argmax(dim=-1)
        return self._finish(steps).argmax(dim=-1)

    def _encode(self, source):
        """The encoder states h_j (N, S, E), W_h h_j precomputed (N, S, H) or None, and s_0 (N, H)."""
        states, h_last = self.encoder(self.embedding(source.long()))  # (N, S, E), (directions, N, H)
        keys = self.W_h(states) if self.uses_attention else None  # the same at every decoder step
        if self.bidirectional:  # B0: the forward GRU's last state and the backward GRU's (which ends at j = 1)
            s = torch.tanh(self.W_init(torch.cat([h_last[0], h_last[1]], dim=-1)))
        else:
            s = h_last[0]
        return {"states": states, "keys": keys, "s": s}

    def _step(self, y_prev, memory):
        """One decoder step from y_{t-1} (N,): logits (N, V) and alpha (N, S) or None; updates memory["s"]."""
        embedded, s_prev = self.embedding(y_prev), memory["s"]  # (N, H) each
        if not self.uses_attention:
            memory["s"] = self.decoder(embedded, s_prev)
            return self.head(memory["s"]), None
        scores = self.v(torch.tanh(self.W_s(s_prev)[:, None] + memory["keys"]))[..., 0]  # B1 (N, S)
        alpha = torch.softmax(scores, dim=-1)  # B2
        c = (alpha[:, :, None] * memory["states"]).sum(dim=1)  # B2 (N, E)
        memory["s"] = self.decoder(torch.cat([embedded, c], dim=-1), s_prev)  # B3
        return self.head(torch.cat([memory["s"], c], dim=-1)), alpha

    def _finish(self, steps):
        """Stack the steps' logits into (N, T, V); keep their attention weights as (N, T, S)."""
        logits, alphas = zip(*steps)
        self.last_attention = torch.stack(alphas, dim=1).detach() if self.uses_attention else None
        return torch.stack(logits, dim=1)

    def extra_repr(self) -> str:
        return (f"vocab_size={self.vocab_size}, hidden={self.hidden}, attention={self.uses_attention}, "
                f"bidirectional={self.bidirectional}")


# --- the reversal task --------------------------------------------------------------------------

def reversal_batch(n, length, digits=10, generator=None):
    """``n`` strings of ``length`` random digits and their reversals: (source, target_inputs, targets).

    Ids 0..digits-1 are the digits and id ``digits`` the start symbol, so a Seq2Seq for this
    task has vocab_size = digits + 1. source (n, length); targets = source reversed (n, length);
    target_inputs = the start symbol, then targets[:, :-1] (what teacher forcing feeds).
    generator: a torch.Generator, for the same batches on every run.
    """
    n = check_int(n, "n", "reversal_batch", minimum=1)
    length = check_int(length, "length", "reversal_batch", minimum=1)
    digits = check_int(digits, "digits", "reversal_batch", minimum=2)
    source = torch.randint(0, digits, (n, length), generator=generator)
    targets = source.flip(1)
    start = torch.full((n, 1), digits, dtype=torch.long)
    return source, torch.cat([start, targets[:, :-1]], dim=1), targets


def train_seq2seq(model, *, length, steps, batch_size=64, lr=3e-3, seed=0, progress=True):
    """Train a Seq2Seq with Adam to reverse strings of ``length`` digits; returns {"loss": [...]} (nats per digit).

    Every step draws a fresh batch (reversal_batch with digits = model.vocab_size - 1), so the
    model never sees a string twice: what it learns is the rule, not the strings.
    """
    check_instance(model, "model", "train_seq2seq", Seq2Seq, "a Seq2Seq")
    length = check_int(length, "length", "train_seq2seq", minimum=1)
    steps = check_int(steps, "steps", "train_seq2seq", minimum=1)
    batch_size = check_int(batch_size, "batch_size", "train_seq2seq", minimum=1)
    lr = check_real(lr, "lr", "train_seq2seq", minimum=0, open_minimum=True)
    if model.vocab_size < 3:
        raise ValueError("train_seq2seq expects a Seq2Seq with vocab_size >= 3: two digits and the start symbol.")
    generator = config.torch_generator(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    model.train()
    for _ in _progress(range(steps), desc="steps", disable=not progress):
        source, target_inputs, targets = reversal_batch(batch_size, length, model.vocab_size - 1, generator)
        logits = model(source, target_inputs)  # (N, T, V), teacher forcing
        loss = nn.functional.cross_entropy(logits.reshape(-1, model.vocab_size), targets.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    return {"loss": losses}


@torch.no_grad()
def reversal_accuracy(model, length, n=500, seed=1):
    """How well greedy decoding reverses ``n`` new strings: (token accuracy, accuracy per output position (length,)).

    Output position t writes the source digit at position length - 1 - t.
    """
    check_instance(model, "model", "reversal_accuracy", Seq2Seq, "a Seq2Seq")
    length = check_int(length, "length", "reversal_accuracy", minimum=1)
    n = check_int(n, "n", "reversal_accuracy", minimum=1)
    digits = model.vocab_size - 1
    source, _, targets = reversal_batch(n, length, digits, config.torch_generator(seed))
    model.eval()
    correct = (model.greedy_decode(source, length, start_id=digits) == targets).float()  # (n, length)
    return correct.mean().item(), correct.mean(dim=0)
