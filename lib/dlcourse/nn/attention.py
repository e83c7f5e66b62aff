"""Attention and the transformer block in NumPy (lecture 19).

Every function computes what its torch counterpart computes, on float64 arrays, with the
batch first and the model width last, so a test can hold one against the other::

    A1  scores  = Q K^T / sqrt(d_k)                 (..., T_q, T_k)
    A2  scores  = -inf where the mask forbids        a query never looks there
    A3  weights = softmax(scores) over the keys      each row sums to 1
    A4  output  = weights V                          (..., T_q, d_v)

(Vaswani et al. 2017). A mask is boolean and True where a query **may** attend, as in
``torch.nn.functional.scaled_dot_product_attention``: ``causal_mask`` lets position t see
positions 0..t, ``padding_mask`` hides the padding at the end of shorter sequences.

Multi-head attention projects the input h times into d_model/h wide queries, keys and values,
attends in each head and projects the joined heads back::

    M1  Q, K, V = X W_q^T + b_q, X W_k^T + b_k, X W_v^T + b_v     (N, T, d_model)
    M2  Q_h = split_heads(Q)                                       (N, h, T, d_model/h)
    M3  O = merge_heads(attention(Q_h, K_h, V_h)) W_o^T + b_o      (N, T, d_model)

A transformer block adds a position-wise feed-forward network, residual connections and layer
normalisation, pre-norm (Xiong et al. 2020) or post-norm (the original)::

    pre-norm   B1  Y = X + MHA(LN1(X))          post-norm   B1  Y = LN1(X + MHA(X))
               B2  Z = Y + FFN(LN2(Y))                      B2  Z = LN2(Y + FFN(Y))
    FFN(x) = relu(x W_1^T + b_1) W_2^T + b_2

Weights follow ``torch.nn.Linear`` (W is (out, in), y = x W^T + b), so they copy across.
``additive_attention`` is the older score of Bahdanau, Cho & Bengio (2015), e_j = v . tanh(W_s s + W_h h_j).
"""
from __future__ import annotations

import math

import numpy as np

from .._validation import check_array, check_flag, check_int, check_real
from .activations import relu, softmax

__all__ = ["scaled_dot_product_attention", "causal_mask", "padding_mask", "split_heads", "merge_heads",
           "sinusoidal_positions", "layer_norm", "multi_head_attention", "transformer_block", "causal_lm_loss",
           "attention_entropy", "additive_attention", "BLOCK_PARAMETERS"]

# The arrays a transformer block needs, by name, with their shapes for width d and hidden width d_ff.
BLOCK_PARAMETERS = {
    "W_q": "(d, d)", "b_q": "(d,)", "W_k": "(d, d)", "b_k": "(d,)", "W_v": "(d, d)", "b_v": "(d,)",
    "W_o": "(d, d)", "b_o": "(d,)", "ln1_gamma": "(d,)", "ln1_beta": "(d,)", "ln2_gamma": "(d,)",
    "ln2_beta": "(d,)", "W_1": "(d_ff, d)", "b_1": "(d_ff,)", "W_2": "(d, d_ff)", "b_2": "(d,)",
}


def scaled_dot_product_attention(Q, K, V, mask=None, scale=None):
    """Attention of every query over the keys: (output, weights).

    Q: (..., T_q, d_k) queries; K: (..., T_k, d_k) keys; V: (..., T_k, d_v) values; the leading
    axes (batch, heads) must match or broadcast. mask: None, or a boolean array that broadcasts
    to (..., T_q, T_k), True where a query may attend. scale: the factor on the scores,
    1/sqrt(d_k) by default (without it the scores grow like sqrt(d_k) and the softmax saturates).
    Returns output (..., T_q, d_v) and weights (..., T_q, T_k), each row summing to 1.
    """
    where = "scaled_dot_product_attention"
    Q, K, V = (check_array(a, name, where) for a, name in ((Q, "Q"), (K, "K"), (V, "V")))
    for a, name in ((Q, "Q"), (K, "K"), (V, "V")):
        if a.ndim < 2:
            raise ValueError(f"{where} expects {name} with at least 2 axes (..., T, d); got shape {a.shape}.")
    if Q.shape[-1] != K.shape[-1]:
        raise ValueError(f"{where} expects queries and keys of the same width d_k; got Q {Q.shape} and K {K.shape}.")
    if K.shape[-2] != V.shape[-2]:
        raise ValueError(f"{where} expects one value per key; got K {K.shape} and V {V.shape}.")
    d_k = Q.shape[-1]
    scale = 1.0 / math.sqrt(d_k) if scale is None else check_real(scale, "scale", where, minimum=0, open_minimum=True)
    scores = (Q @ np.swapaxes(K, -1, -2)) * scale  # A1  (..., T_q, T_k)
    if mask is not None:
        mask = _boolean_mask(mask, scores.shape, where)
        if not mask.any(axis=-1).all():
            raise ValueError(f"{where}: the mask leaves a query with no key to attend to (a row of the mask is all "
                             "False); every query needs at least one True.")
        scores = np.where(mask, scores, -np.inf)  # A2
    weights = softmax(scores, axis=-1)  # A3 (e^-inf = 0: a forbidden key gets weight exactly 0)
    return weights @ V, weights  # A4


def _boolean_mask(mask, shape, where) -> np.ndarray:
    mask = np.asarray(mask)
    if mask.dtype != bool:
        raise TypeError(f"{where} expects mask to be a boolean array (True where a query may attend); "
                        f"got dtype {mask.dtype}.")
    try:
        return np.broadcast_to(mask, np.broadcast_shapes(mask.shape, shape))
    except ValueError:
        raise ValueError(f"{where} expects a mask that broadcasts to the scores' shape {shape} (..., T_q, T_k); "
                         f"got shape {mask.shape}.") from None


def causal_mask(length):
    """(length, length) boolean: True at [t, s] when s <= t, so position t sees itself and the past only."""
    length = check_int(length, "length", "causal_mask", minimum=1)
    return np.tril(np.ones((length, length), dtype=bool))


def padding_mask(lengths, length):
    """(N, 1, length) boolean: True at the first lengths[i] positions of sequence i (the real tokens).

    It broadcasts over the queries of (N, T_q, T_k) scores; for (N, heads, T_q, T_k) add an axis:
    ``padding_mask(lengths, T)[:, None]``. Combine with a causal mask by ``&``.
    """
    lengths = check_array(lengths, "lengths", "padding_mask", ndim=1)
    length = check_int(length, "length", "padding_mask", minimum=1)
    if np.any(lengths != np.round(lengths)) or lengths.min() < 1 or lengths.max() > length:
        raise ValueError(f"padding_mask expects whole lengths between 1 and length = {length}; got {lengths}.")
    return (np.arange(length)[None, :] < lengths[:, None])[:, None, :]


def split_heads(X, heads):
    """(N, T, d_model) -> (N, heads, T, d_model / heads): head j gets the j-th slice of the width."""
    X = check_array(X, "X", "split_heads", ndim=3)
    heads = check_int(heads, "heads", "split_heads", minimum=1)
    n, t, d = X.shape
    if d % heads:
        raise ValueError(f"split_heads expects the width d_model = {d} to be a multiple of heads = {heads}.")
    return X.reshape(n, t, heads, d // heads).transpose(0, 2, 1, 3)  # M2


def merge_heads(X):
    """(N, heads, T, d_head) -> (N, T, heads * d_head): the inverse of split_heads."""
    X = check_array(X, "X", "merge_heads", ndim=4)
    n, h, t, d_head = X.shape
    return X.transpose(0, 2, 1, 3).reshape(n, t, h * d_head)


def sinusoidal_positions(length, d_model):
    """(length, d_model) positional encodings: PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(same).

    Each pair of columns turns at its own frequency, from once per 2 pi positions to once per
    10000 * 2 pi, so nearby positions get similar codes and PE[p + k] is a rotation of PE[p].
    """
    length = check_int(length, "length", "sinusoidal_positions", minimum=1)
    d_model = check_int(d_model, "d_model", "sinusoidal_positions", minimum=2)
    if d_model % 2:
        raise ValueError(f"sinusoidal_positions expects an even d_model (sine and cosine in pairs); got {d_model}.")
    positions = np.arange(length)[:, None]  # (length, 1)
    frequencies = 10000.0 ** (-np.arange(0, d_model, 2) / d_model)  # (d_model/2,)
    encoding = np.empty((length, d_model))
    encoding[:, 0::2] = np.sin(positions * frequencies)
    encoding[:, 1::2] = np.cos(positions * frequencies)
    return encoding


def layer_norm(X, gamma, beta, eps=1e-5):
    """Normalise each row over its last axis, then scale and shift: gamma (x - mean) / sqrt(var + eps) + beta.

    X: (..., d); gamma, beta: (d,). The variance is the biased one, as in torch.nn.LayerNorm.
    """
    X = check_array(X, "X", "layer_norm")
    d = X.shape[-1]
    gamma = check_array(gamma, "gamma", "layer_norm", shape=(d,))
    beta = check_array(beta, "beta", "layer_norm", shape=(d,))
    eps = check_real(eps, "eps", "layer_norm", minimum=0, open_minimum=True)
    mean = X.mean(axis=-1, keepdims=True)
    variance = X.var(axis=-1, keepdims=True)
    return gamma * (X - mean) / np.sqrt(variance + eps) + beta


def _linear(X, W, b):
    return X @ W.T + b


def multi_head_attention(X, params, heads, mask=None):
    """Self-attention with ``heads`` heads: (output (N, T, d), weights (N, heads, T, T)).

    X: (N, T, d). params: a dict with W_q, W_k, W_v, W_o of shape (d, d) and b_q, b_k, b_v, b_o
    of shape (d,). mask: None or boolean, broadcasting to (N, heads, T, T) (a causal_mask does).
    """
    X = check_array(X, "X", "multi_head_attention", ndim=3)
    d = X.shape[-1]
    p = _parameters(params, d, None, "multi_head_attention", ("W_q", "b_q", "W_k", "b_k", "W_v", "b_v", "W_o", "b_o"))
    Q, K, V = (split_heads(_linear(X, p[f"W_{x}"], p[f"b_{x}"]), heads) for x in "qkv")  # M1, M2
    output, weights = scaled_dot_product_attention(Q, K, V, mask)
    return _linear(merge_heads(output), p["W_o"], p["b_o"]), weights  # M3


def transformer_block(X, params, heads, mask=None, norm_first=True, eps=1e-5):
    """One transformer block on X (N, T, d): (output (N, T, d), attention weights (N, heads, T, T)).

    params: every array named in BLOCK_PARAMETERS (d_ff is read from W_1). norm_first: pre-norm
    (B1, B2 with the normalisation inside the residual branch) or post-norm (after the sum).
    """
    X = check_array(X, "X", "transformer_block", ndim=3)
    norm_first = check_flag(norm_first, "norm_first", "transformer_block")
    d = X.shape[-1]
    d_ff = np.shape(params.get("W_1", np.empty((0, d))))[0] if isinstance(params, dict) else None
    p = _parameters(params, d, d_ff, "transformer_block", tuple(BLOCK_PARAMETERS))

    def feed_forward(Y):
        return _linear(relu(_linear(Y, p["W_1"], p["b_1"])), p["W_2"], p["b_2"])

    def ln(Y, which):
        return layer_norm(Y, p[f"ln{which}_gamma"], p[f"ln{which}_beta"], eps)

    if norm_first:
        attended, weights = multi_head_attention(ln(X, 1), p, heads, mask)
        Y = X + attended  # B1
        return Y + feed_forward(ln(Y, 2)), weights  # B2
    attended, weights = multi_head_attention(X, p, heads, mask)
    Y = ln(X + attended, 1)  # B1
    return ln(Y + feed_forward(Y), 2), weights  # B2


def _parameters(params, d, d_ff, where, names) -> dict:
    """The named arrays of params as float arrays of the right shapes, or one sentence saying what is wrong."""
    if not isinstance(params, dict):
        raise TypeError(f"{where} expects params to be a dict of arrays named {', '.join(names)}; "
                        f"got {type(params).__name__}.")
    missing = [name for name in names if name not in params]
    if missing:
        raise ValueError(f"{where} expects params to hold {', '.join(missing)} as well; it has {', '.join(params)}.")
    shapes = {"d": d, "d_ff": d_ff}
    checked = {}
    for name in names:
        wanted = tuple(shapes[axis] for axis in BLOCK_PARAMETERS[name].strip("(),").replace(" ", "").split(",") if axis)
        checked[name] = check_array(params[name], f"params[{name!r}]", where, shape=wanted)
    return checked


def causal_lm_loss(logits, ids):
    """Mean cross-entropy (nats) of predicting ids[:, t + 1] from logits[:, t], over t = 0 .. T-2.

    logits: (N, T, V) scores; ids: (N, T) integer tokens. Divide by ln 2 for bits per token.
    """
    logits = check_array(logits, "logits", "causal_lm_loss", ndim=3)
    ids = np.asarray(ids)
    if ids.shape != logits.shape[:2] or not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"causal_lm_loss expects ids of integer type and shape (N, T) = {logits.shape[:2]}; "
                         f"got {ids.dtype} of shape {ids.shape}.")
    if logits.shape[1] < 2:
        raise ValueError("causal_lm_loss needs sequences of at least 2 tokens: the first predicts the second.")
    if ids.min() < 0 or ids.max() >= logits.shape[2]:
        raise ValueError(f"causal_lm_loss expects ids between 0 and V - 1 = {logits.shape[2] - 1}.")
    scores, targets = logits[:, :-1], ids[:, 1:]  # the score at t is for the token at t + 1
    shifted = scores - scores.max(axis=-1, keepdims=True)
    log_probabilities = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return float(-np.take_along_axis(log_probabilities, targets[..., None], axis=-1).mean())


def attention_entropy(weights):
    """Mean entropy, in nats, of the attention rows (..., T_k): 0 for one-hot rows, ln T_k for uniform ones."""
    weights = check_array(weights, "weights", "attention_entropy")
    safe = np.where(weights > 0, weights, 1.0)  # 0 log 0 = 0
    return float(-(weights * np.log(safe)).sum(axis=-1).mean())


def additive_attention(query, keys, W_query, W_key, v):
    """Bahdanau attention of one decoder state over the encoder states: (context (N, d_h), weights (N, T)).

    query: (N, d_s) decoder state s; keys: (N, T, d_h) encoder states h_j; W_query: (d_a, d_s);
    W_key: (d_a, d_h); v: (d_a,). Scores e_j = v . tanh(W_query s + W_key h_j); weights = softmax(e);
    context = sum_j weights_j h_j.
    """
    where = "additive_attention"
    query = check_array(query, "query", where, ndim=2)
    keys = check_array(keys, "keys", where, ndim=3)
    if keys.shape[0] != query.shape[0]:
        raise ValueError(f"{where} expects one query per sequence; got query {query.shape} and keys {keys.shape}.")
    W_query = check_array(W_query, "W_query", where, ndim=2)
    d_a = W_query.shape[0]
    W_query = check_array(W_query, "W_query", where, shape=(d_a, query.shape[1]))
    W_key = check_array(W_key, "W_key", where, shape=(d_a, keys.shape[2]))
    v = check_array(v, "v", where, shape=(d_a,))
    hidden = np.tanh((query @ W_query.T)[:, None, :] + keys @ W_key.T)  # (N, T, d_a)
    weights = softmax(hidden @ v, axis=-1)  # (N, T)
    return np.einsum("nt,nth->nh", weights, keys), weights
