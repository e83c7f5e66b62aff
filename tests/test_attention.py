"""The NumPy attention reference (dlcourse.nn.attention) computes what torch computes: scaled
dot-product attention with and without masks, multi-head attention, layer normalisation,
pre- and post-norm transformer blocks, the causal language-model loss."""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcourse.nn import attention as at

RNG = np.random.default_rng(19)


def _t(a):
    return torch.from_numpy(np.asarray(a, dtype=np.float64))


def test_attention_equals_torch_without_and_with_a_causal_mask():
    Q, K, V = RNG.normal(size=(2, 3, 5, 8)), RNG.normal(size=(2, 3, 5, 8)), RNG.normal(size=(2, 3, 5, 4))
    out, weights = at.scaled_dot_product_attention(Q, K, V)
    np.testing.assert_allclose(out, F.scaled_dot_product_attention(_t(Q), _t(K), _t(V)).numpy(), atol=1e-12)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, atol=1e-12)
    out, weights = at.scaled_dot_product_attention(Q, K, V, mask=at.causal_mask(5))
    torch_out = F.scaled_dot_product_attention(_t(Q), _t(K), _t(V), is_causal=True)
    np.testing.assert_allclose(out, torch_out.numpy(), atol=1e-12)
    assert np.all(weights[..., np.triu_indices(5, 1)[0], np.triu_indices(5, 1)[1]] == 0.0)


def test_a_padding_mask_gives_padding_no_weight_and_equals_torchs_boolean_mask():
    Q, K, V = RNG.normal(size=(2, 4, 6)), RNG.normal(size=(2, 4, 6)), RNG.normal(size=(2, 4, 6))
    mask = at.padding_mask([4, 2], 4)
    assert mask.shape == (2, 1, 4) and mask[1, 0].tolist() == [True, True, False, False]
    out, weights = at.scaled_dot_product_attention(Q, K, V, mask=mask)
    assert np.all(weights[1, :, 2:] == 0.0)
    torch_out = F.scaled_dot_product_attention(_t(Q), _t(K), _t(V), attn_mask=torch.from_numpy(mask))
    np.testing.assert_allclose(out, torch_out.numpy(), atol=1e-12)


def test_a_query_with_nothing_to_attend_to_is_one_sentence():
    mask = np.zeros((3, 3), dtype=bool)
    with pytest.raises(ValueError, match="leaves a query with no key to attend to"):
        at.scaled_dot_product_attention(np.ones((3, 2)), np.ones((3, 2)), np.ones((3, 2)), mask=mask)
    with pytest.raises(TypeError, match="boolean array"):
        at.scaled_dot_product_attention(np.ones((3, 2)), np.ones((3, 2)), np.ones((3, 2)), mask=np.ones((3, 3)))
    with pytest.raises(ValueError, match="the same width d_k"):
        at.scaled_dot_product_attention(np.ones((3, 2)), np.ones((3, 4)), np.ones((3, 2)))


def test_without_the_scaling_wide_keys_saturate_the_softmax():
    entropy = {}
    for d_k in (4, 256):
        Q, K = RNG.normal(size=(64, 16, d_k)), RNG.normal(size=(64, 16, d_k))
        _, scaled = at.scaled_dot_product_attention(Q, K, K)
        _, unscaled = at.scaled_dot_product_attention(Q, K, K, scale=1.0)
        entropy[d_k] = at.attention_entropy(scaled), at.attention_entropy(unscaled)
    assert abs(entropy[256][0] - entropy[4][0]) < 0.3  # scaled: the same spread at any width
    assert entropy[256][1] < 0.5 * entropy[4][1] and entropy[256][1] < 0.5  # unscaled: close to one-hot
    assert at.attention_entropy(np.full((2, 8), 1 / 8)) == pytest.approx(math.log(8))


def test_split_and_merge_heads_are_inverses_and_slice_the_width():
    X = RNG.normal(size=(2, 5, 12))
    heads = at.split_heads(X, 3)
    assert heads.shape == (2, 3, 5, 4)
    np.testing.assert_array_equal(heads[:, 1], X[:, :, 4:8])
    np.testing.assert_array_equal(at.merge_heads(heads), X)
    with pytest.raises(ValueError, match="multiple of heads"):
        at.split_heads(X, 5)


def test_sinusoidal_positions_follow_the_formula():
    pe = at.sinusoidal_positions(50, 16)
    assert pe.shape == (50, 16)
    assert pe[0, 0] == 0.0 and pe[0, 1] == 1.0
    assert pe[7, 4] == pytest.approx(math.sin(7 / 10000 ** (4 / 16)))
    assert pe[7, 5] == pytest.approx(math.cos(7 / 10000 ** (4 / 16)))
    with pytest.raises(ValueError, match="even d_model"):
        at.sinusoidal_positions(5, 7)


def test_layer_norm_equals_torch():
    X, gamma, beta = RNG.normal(size=(3, 4, 6)), RNG.normal(size=6), RNG.normal(size=6)
    expected = F.layer_norm(_t(X), (6,), _t(gamma), _t(beta), eps=1e-5).numpy()
    np.testing.assert_allclose(at.layer_norm(X, gamma, beta), expected, atol=1e-12)


def _block_params(layer: torch.nn.TransformerEncoderLayer) -> dict:
    d = layer.self_attn.embed_dim
    w, b = layer.self_attn.in_proj_weight.detach().numpy(), layer.self_attn.in_proj_bias.detach().numpy()
    return {"W_q": w[:d], "W_k": w[d:2 * d], "W_v": w[2 * d:], "b_q": b[:d], "b_k": b[d:2 * d], "b_v": b[2 * d:],
            "W_o": layer.self_attn.out_proj.weight.detach().numpy(), "b_o": layer.self_attn.out_proj.bias.detach().numpy(),
            "ln1_gamma": layer.norm1.weight.detach().numpy(), "ln1_beta": layer.norm1.bias.detach().numpy(),
            "ln2_gamma": layer.norm2.weight.detach().numpy(), "ln2_beta": layer.norm2.bias.detach().numpy(),
            "W_1": layer.linear1.weight.detach().numpy(), "b_1": layer.linear1.bias.detach().numpy(),
            "W_2": layer.linear2.weight.detach().numpy(), "b_2": layer.linear2.bias.detach().numpy()}


@pytest.mark.parametrize("norm_first", [True, False])
@pytest.mark.parametrize("causal", [False, True])
def test_a_transformer_block_equals_torchs_encoder_layer(norm_first, causal):
    torch.manual_seed(3)
    layer = torch.nn.TransformerEncoderLayer(12, 3, 20, dropout=0.0, activation="relu", batch_first=True,
                                             norm_first=norm_first).double().eval()
    with torch.no_grad():  # LayerNorm starts at gamma = 1, beta = 0: move them so they are tested too
        for norm in (layer.norm1, layer.norm2):
            norm.weight.normal_(1.0, 0.2)
            norm.bias.normal_(0.0, 0.2)
    X = RNG.normal(size=(2, 5, 12))
    mask = at.causal_mask(5) if causal else None
    ours, weights = at.transformer_block(X, _block_params(layer), heads=3, mask=mask, norm_first=norm_first)
    theirs = layer(_t(X), src_mask=torch.nn.Transformer.generate_square_subsequent_mask(5, dtype=torch.float64)
                   if causal else None, is_causal=causal)
    np.testing.assert_allclose(ours, theirs.detach().numpy(), atol=1e-10)
    assert weights.shape == (2, 3, 5, 5)


def test_multi_head_attention_equals_torchs_multihead_attention():
    torch.manual_seed(4)
    mha = torch.nn.MultiheadAttention(8, 2, batch_first=True).double()
    d = 8
    w, b = mha.in_proj_weight.detach().numpy(), mha.in_proj_bias.detach().numpy()
    params = {"W_q": w[:d], "W_k": w[d:2 * d], "W_v": w[2 * d:], "b_q": b[:d], "b_k": b[d:2 * d], "b_v": b[2 * d:],
              "W_o": mha.out_proj.weight.detach().numpy(), "b_o": mha.out_proj.bias.detach().numpy()}
    X = RNG.normal(size=(3, 4, 8))
    ours, weights = at.multi_head_attention(X, params, heads=2)
    theirs, their_weights = mha(_t(X), _t(X), _t(X), average_attn_weights=False)
    np.testing.assert_allclose(ours, theirs.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(weights, their_weights.detach().numpy(), atol=1e-12)


def test_a_missing_or_misshapen_parameter_is_named():
    params = {name: np.zeros(1) for name in at.BLOCK_PARAMETERS}
    del params["b_2"]
    with pytest.raises(ValueError, match="b_2 as well"):
        at.transformer_block(np.zeros((1, 2, 4)), params, heads=2)
    with pytest.raises(ValueError, match=r"params\['W_q'\]"):
        at.multi_head_attention(np.zeros((1, 2, 4)), {name: np.zeros(1) for name in at.BLOCK_PARAMETERS}, heads=2)


def test_the_causal_lm_loss_equals_torchs_cross_entropy_on_shifted_targets():
    logits, ids = RNG.normal(size=(2, 6, 5)), RNG.integers(0, 5, size=(2, 6))
    expected = F.cross_entropy(_t(logits[:, :-1]).reshape(-1, 5), torch.from_numpy(ids[:, 1:]).reshape(-1))
    assert at.causal_lm_loss(logits, ids) == pytest.approx(expected.item(), abs=1e-12)
    with pytest.raises(ValueError, match="shape \\(N, T\\)"):
        at.causal_lm_loss(logits, ids[:, :3])


def test_additive_attention_weighs_the_encoder_states():
    query, keys = RNG.normal(size=(2, 3)), RNG.normal(size=(2, 7, 4))
    W_query, W_key, v = RNG.normal(size=(5, 3)), RNG.normal(size=(5, 4)), RNG.normal(size=5)
    context, weights = at.additive_attention(query, keys, W_query, W_key, v)
    assert context.shape == (2, 4) and weights.shape == (2, 7)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)
    scores = np.tanh(query[1] @ W_query.T + keys[1, 2] @ W_key.T) @ v  # e_j for sequence 1, j = 2, by hand
    all_scores = np.array([np.tanh(query[1] @ W_query.T + keys[1, j] @ W_key.T) @ v for j in range(7)])
    assert weights[1, 2] == pytest.approx(math.exp(scores) / np.exp(all_scores).sum())
    np.testing.assert_allclose(context[1], weights[1] @ keys[1])
