"""dlcourse.models.transformer: the transformer block against torch's, causal masking, the
character-level transformer and its training through train_charlm, the GRU encoder-decoder
with additive attention."""
import math
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcourse.config import one_thread
from dlcourse.models.charlm import CharVocabulary, sample_text
from dlcourse.models.transformer import (CharTransformer, Seq2Seq, TransformerBlock, reversal_accuracy, reversal_batch,
                                         train_seq2seq, sinusoidal_positions,
                                         train_char_transformer)

TEXT = "the cat sat on the mat. the dog sat on the log.\n"


@pytest.fixture(autouse=True)
def _one_thread():
    # tiny models: one thread is faster on a shared machine and sums in a fixed order
    with one_thread():
        yield


def torch_layer_like(block):
    """torch.nn.TransformerEncoderLayer holding the block's weights (q, k, v stacked in in_proj)."""
    layer = torch.nn.TransformerEncoderLayer(block.d_model, block.heads, block.d_ff, dropout=0.0, activation="relu",
                                             batch_first=True, norm_first=block.norm_first)
    layer = layer.to(block.W_q.weight.dtype)
    with torch.no_grad():
        attention = layer.self_attn
        attention.in_proj_weight.copy_(torch.cat([block.W_q.weight, block.W_k.weight, block.W_v.weight]))
        attention.in_proj_bias.copy_(torch.cat([block.W_q.bias, block.W_k.bias, block.W_v.bias]))
        attention.out_proj.weight.copy_(block.W_o.weight)
        attention.out_proj.bias.copy_(block.W_o.bias)
        for ours, theirs in ((block.feed_forward[0], layer.linear1), (block.feed_forward[3], layer.linear2),
                             (block.norm_attention, layer.norm1), (block.norm_feed_forward, layer.norm2)):
            theirs.weight.copy_(ours.weight)
            theirs.bias.copy_(ours.bias)
    return layer


def randomised_block(d_model=16, heads=4, d_ff=24, norm_first=True, dtype=torch.float32, seed=0):
    block = TransformerBlock(d_model, heads, d_ff, norm_first=norm_first, seed=seed).to(dtype)
    with torch.no_grad():  # LayerNorms start at weight 1, bias 0: move them, or a swapped norm would go unseen
        generator = torch.Generator().manual_seed(seed + 1)
        for norm in (block.norm_attention, block.norm_feed_forward):
            norm.weight.copy_(1 + 0.3 * torch.randn(d_model, generator=generator))
            norm.bias.copy_(0.3 * torch.randn(d_model, generator=generator))
    return block


# ------------------------------------------------------------------ TransformerBlock
@pytest.mark.parametrize("dtype, tolerance", [(torch.float32, 1e-5), (torch.float64, 1e-10)])
@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("norm_first", [True, False])
def test_block_matches_torch_encoder_layer(norm_first, causal, dtype, tolerance):
    block = randomised_block(norm_first=norm_first, dtype=dtype)
    layer = torch_layer_like(block).train()  # train mode: torch's plain path, not its fused inference kernel
    x = torch.randn(3, 7, 16, dtype=dtype, generator=torch.Generator().manual_seed(1))
    mask = torch.nn.Transformer.generate_square_subsequent_mask(7, dtype=dtype) if causal else None
    expected = layer(x, src_mask=mask, is_causal=causal)
    torch.testing.assert_close(block(x, causal=causal), expected, atol=tolerance, rtol=0)


def test_block_matches_torch_with_a_padding_mask_at_the_real_tokens():
    block = randomised_block(dtype=torch.float64)
    layer = torch_layer_like(block).train()
    x = torch.randn(2, 6, 16, dtype=torch.float64)
    padding = torch.tensor([[True] * 6, [True] * 4 + [False] * 2])  # the second text is two tokens shorter
    expected = layer(x, src_key_padding_mask=~padding)
    torch.testing.assert_close(block(x, padding=padding), expected, atol=1e-10, rtol=0)
    assert torch.all(block.last_attention[1, :, :, 4:] == 0)  # nobody reads the padding


@pytest.mark.parametrize("norm_first", [True, False])
def test_causal_output_at_t_has_zero_gradient_from_every_later_input(norm_first):
    block = randomised_block(norm_first=norm_first, dtype=torch.float64)
    T = 6
    for t in range(T):
        x = torch.randn(2, T, 16, dtype=torch.float64, requires_grad=True)
        block(x, causal=True)[:, t].sum().backward()
        assert torch.all(x.grad[:, t + 1:] == 0), f"position {t} reads the future"
        assert x.grad[:, :t + 1].abs().amax(dim=(0, 2)).min() > 0  # ... and every position up to t


def test_without_the_causal_mask_the_first_output_reads_the_last_input():
    block = randomised_block(dtype=torch.float64)
    x = torch.randn(1, 5, 16, dtype=torch.float64, requires_grad=True)
    block(x)[:, 0].sum().backward()
    assert x.grad[:, -1].abs().max() > 0


def test_attention_rows_sum_to_one_and_the_causal_upper_triangle_is_zero():
    block = randomised_block()
    x = torch.randn(2, 5, 16)
    block(x, causal=True)
    A = block.last_attention
    assert A.shape == (2, 4, 5, 5)
    torch.testing.assert_close(A.sum(dim=-1), torch.ones(2, 4, 5))
    assert torch.all(A.triu(diagonal=1) == 0)
    assert torch.all(A[..., torch.ones(5, 5, dtype=torch.bool).tril()] > 0)  # t reads every s <= t
    block(x)
    assert torch.all(block.last_attention > 0)  # no mask: every position reads every other


def test_attention_is_softmax_of_scaled_scores_of_one_head():
    block = randomised_block(heads=2)  # d_k = 8
    x = torch.randn(1, 4, 16)
    block.attention(x)
    Q, K = block.W_q(x)[0, :, 8:], block.W_k(x)[0, :, 8:]  # the second head's queries and keys, (4, 8)
    torch.testing.assert_close(block.last_attention[0, 1], torch.softmax(Q @ K.T / math.sqrt(8), dim=-1))


def test_seeded_blocks_repeat_and_leave_the_global_generator_alone():
    before = torch.get_rng_state()
    first, second = TransformerBlock(8, 2, 16, seed=3), TransformerBlock(8, 2, 16, seed=3)
    assert torch.equal(torch.get_rng_state(), before)
    assert torch.equal(first.W_q.weight, second.W_q.weight)
    assert not torch.equal(first.W_q.weight, TransformerBlock(8, 2, 16, seed=4).W_q.weight)
    assert first.W_q.weight.dtype == torch.float32


def test_dropout_acts_in_training_mode_only():
    x = torch.randn(2, 5, 8)
    plain, dropping = TransformerBlock(8, 2, 16, seed=0), TransformerBlock(8, 2, 16, dropout=0.5, seed=0)
    torch.testing.assert_close(dropping.eval()(x), plain(x))
    assert not torch.allclose(dropping.train()(x), plain(x))


def test_block_rejects_a_wrong_input_shape_in_one_sentence():
    block = TransformerBlock(16, 4, 32)
    for shape in [(7, 16), (2, 7, 8), (2, 0, 16)]:
        with pytest.raises(ValueError, match=re.escape("TransformerBlock.forward expects x of shape (N, T, d_model) "
                                                       f"= (N, T, 16) (use x[None] for a single sequence); "
                                                       f"got shape {shape}.")):
            block(torch.zeros(shape))
    with pytest.raises(TypeError, match="x to be a float tensor of shape .*; got a torch.int64 tensor"):
        block(torch.zeros(1, 2, 16, dtype=torch.long))
    with pytest.raises(ValueError, match=r"padding to be a bool tensor of shape \(N, T\) = \(1, 2\).*"
                                         r"got shape \(1, 3\)"):
        block(torch.zeros(1, 2, 16), padding=torch.ones(1, 3, dtype=torch.bool))
    with pytest.raises(TypeError, match="padding to be a bool tensor.*got a torch.float32 tensor"):
        block(torch.zeros(1, 2, 16), padding=torch.ones(1, 2))
    with pytest.raises(TypeError, match="causal to be True or False; got 'yes'"):
        block(torch.zeros(1, 2, 16), causal="yes")


@pytest.mark.parametrize("kwargs, error, message", [
    ({"heads": 3}, ValueError, "TransformerBlock expects heads to divide d_model, so that every head gets "
                               "d_model / heads dimensions; got d_model=16, heads=3."),
    ({"d_ff": 0}, ValueError, "TransformerBlock expects d_ff to be a positive integer; got 0."),
    ({"dropout": 1.0}, ValueError, "TransformerBlock expects dropout to be a number in [0, 1); got 1.0."),
    ({"norm_first": "pre"}, TypeError, "TransformerBlock expects norm_first to be True or False; got 'pre'."),
    ({"seed": -1}, ValueError, "TransformerBlock expects seed to be a non-negative integer; got -1."),
])
def test_block_rejects_bad_sizes(kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        TransformerBlock(**{"d_model": 16, "heads": 4, "d_ff": 32, **kwargs})


# ------------------------------------------------------------------ sinusoidal_positions
def test_sinusoidal_positions_follow_the_formula_at_hand_computed_entries():
    table = sinusoidal_positions(50, 4)  # d = 4: frequencies 1 and 1 / 10000^(2/4) = 1/100
    assert table.shape == (50, 4) and table.dtype == torch.float32
    assert table[0].tolist() == [0.0, 1.0, 0.0, 1.0]  # sin 0, cos 0 in every pair
    expected = {(1, 0): math.sin(1), (1, 1): math.cos(1), (2, 2): math.sin(0.02), (3, 3): math.cos(0.03),
                (49, 0): math.sin(49), (49, 3): math.cos(0.49)}
    for (p, i), value in expected.items():
        assert table[p, i].item() == pytest.approx(value, abs=1e-7), (p, i)
    odd = sinusoidal_positions(3, 5)  # odd width: the last column is a sine, its cosine dropped
    assert odd[2, 4].item() == pytest.approx(math.sin(2 / 10000 ** (4 / 5)), abs=1e-7)


# ------------------------------------------------------------------ CharTransformer
def tiny_transformer(vocab_size, positions="sinusoidal", seed=0, context=16):
    return CharTransformer(vocab_size, d_model=16, heads=2, layers=2, d_ff=32, context=context, positions=positions,
                           seed=seed)


@pytest.mark.parametrize("positions", ["sinusoidal", "learned"])
def test_char_transformer_gives_logits_per_position_and_one_map_per_layer(positions):
    model = tiny_transformer(11, positions)
    ids = torch.randint(0, 11, (3, 9))
    assert model(ids).shape == (3, 9, 11)
    maps = model.attention_maps(ids)
    assert len(maps) == 2 and all(A.shape == (3, 2, 9, 9) for A in maps)
    assert all(torch.all(A.triu(diagonal=1) == 0) for A in maps)


@pytest.mark.parametrize("positions", ["sinusoidal", "learned"])
def test_changing_a_later_character_leaves_every_earlier_logit_unchanged(positions):
    model = tiny_transformer(11, positions)
    ids = torch.randint(0, 11, (2, 12), generator=torch.Generator().manual_seed(0))
    changed = ids.clone()
    changed[:, 7] = (ids[:, 7] + 1) % 11
    before, after = model(ids), model(changed)
    assert torch.equal(before[:, :7], after[:, :7])  # exact: the future gets weight 0, not a small weight
    assert not torch.allclose(before[:, 7:], after[:, 7:])


def test_positions_matter_swapping_earlier_characters_changes_the_last_logit():
    # one layer: the last position reads the set {x_0..x_3}; without positions swapping x_0 and x_1 leaves it
    # the same set, so only the positions can tell the two orders apart
    model = CharTransformer(11, d_model=16, heads=2, layers=1, d_ff=32, context=8)
    ids, swapped = torch.tensor([[1, 2, 3, 4]]), torch.tensor([[2, 1, 3, 4]])
    assert not torch.allclose(model(ids)[0, -1], model(swapped)[0, -1], atol=1e-4)


def test_char_transformer_is_embedding_plus_positions_then_causal_blocks_norm_and_head():
    model = tiny_transformer(11)
    ids = torch.randint(0, 11, (2, 5))
    x = model.token_embedding(ids) + sinusoidal_positions(16, 16)[:5]  # (2, 5, 16)
    for block in model.blocks:
        x = block(x, causal=True)
    torch.testing.assert_close(model(ids), model.head(model.norm(x)))


@pytest.mark.parametrize("positions, position_parameters", [("sinusoidal", 0), ("learned", 12 * 8)])
def test_parameter_count_follows_the_docstring_formula(positions, position_parameters):
    V, d, f, L, context = 10, 8, 16, 3, 12
    model = CharTransformer(V, d_model=d, heads=2, layers=L, d_ff=f, context=context, positions=positions)
    formula = V * d + position_parameters + L * (4 * d * d + 2 * d * f + 9 * d + f) + 2 * d + (d + 1) * V
    assert formula == 80 + position_parameters + 3 * 600 + 16 + 90  # block: 256 + 256 + 72 + 16
    assert sum(p.numel() for p in model.parameters()) == formula


def test_char_transformer_is_seeded_and_float32():
    before = torch.get_rng_state()
    first, second = tiny_transformer(7, seed=5), tiny_transformer(7, seed=5)
    assert torch.equal(torch.get_rng_state(), before)
    assert all(torch.equal(a, b) for a, b in zip(first.parameters(), second.parameters()))
    assert not torch.equal(first.blocks[0].W_q.weight, first.blocks[1].W_q.weight)  # layers are not copies
    assert all(p.dtype == torch.float32 for p in first.parameters())


def test_char_transformer_rejects_too_long_inputs_and_bad_arguments():
    model = tiny_transformer(7, context=8)
    with pytest.raises(ValueError, match=re.escape("expects at most context=8 characters per row; got ids of shape "
                                                   "(1, 9) (feed the last 8 characters).")):
        model(torch.zeros(1, 9, dtype=torch.long))
    with pytest.raises(ValueError, match=r"character ids in 0\.\.6 .*got 7"):
        model(torch.full((1, 2), 7))
    with pytest.raises(ValueError, match=re.escape("CharTransformer expects positions to be one of 'sinusoidal', "
                                                   "'learned'; got 'rotary'.")):
        CharTransformer(7, positions="rotary")
    with pytest.raises(ValueError, match="heads to divide d_model"):
        CharTransformer(7, d_model=10, heads=4)


# ------------------------------------------------------------------ training and sampling through CharLM's tools
def test_the_charlm_view_reads_a_long_text_in_chunks_as_a_sliding_window():
    model = tiny_transformer(11, context=8)
    view = model.as_charlm()
    ids = torch.randint(0, 11, (2, 30), generator=torch.Generator().manual_seed(0))
    whole, _ = view(ids)
    first, state = view(ids[:, :11])
    second, _ = view(ids[:, 11:], state)
    torch.testing.assert_close(torch.cat([first, second], dim=1), whole)
    torch.testing.assert_close(whole[:, :8], model(ids[:, :8]))  # inside the context: the plain forward
    torch.testing.assert_close(whole[:, 20], model(ids[:, 13:21])[:, -1])  # beyond: the last 8 characters
    assert list(model.parameters()) == list(view.parameters())


def test_a_short_training_run_lowers_the_loss_in_the_units_of_train_charlm():
    text = TEXT * 30
    vocab = CharVocabulary(text)
    ids = vocab.encode(text)
    model = tiny_transformer(vocab.size)
    history = train_char_transformer(model, ids, steps=40, batch_size=8, lr=1e-2, val_ids=ids[:200],
                                     eval_every=20, progress=False)
    assert len(history["loss"]) == 40 and history["val_step"] == [20, 40]
    assert history["loss"][0] > math.log(vocab.size) - 0.5  # nats: starts near a uniform guess, ln V
    assert np.mean(history["loss"][-5:]) < 0.4 * np.mean(history["loss"][:5])
    assert history["val_loss"][-1] < 0.4 * history["loss"][0]
    assert not model.training


def test_validation_loss_is_the_mean_cross_entropy_of_the_sliding_window():
    vocab = CharVocabulary(TEXT)
    ids = vocab.encode(TEXT * 6)  # 294 characters, longer than both the context and train_charlm's 256-chunks
    model = tiny_transformer(vocab.size, context=8)
    history = train_char_transformer(model, ids, steps=1, lr=1e-9, batch_size=2, val_ids=ids, progress=False)
    with torch.no_grad():
        windows = F.pad(ids[:-1], (7, 0)).unfold(0, 8, 1)  # (293, 8): the 8 characters ending at each input
        logits = torch.stack([model(w[None, 7 - min(t, 7):])[0, -1] for t, w in enumerate(windows)])  # (293, V)
    expected = F.cross_entropy(logits, ids[1:]).item()
    assert history["val_loss"] == [pytest.approx(expected, rel=1e-5)]


def test_sample_text_runs_the_transformer_and_repeats_for_a_seed():
    vocab = CharVocabulary(TEXT)
    view = tiny_transformer(vocab.size, context=8).as_charlm()
    text = sample_text(view, vocab, "the ", 30, seed=2)
    assert text.startswith("the ") and len(text) == 34 and set(text) <= set(vocab.chars)
    assert sample_text(view, vocab, "the ", 30, seed=2) == text


@pytest.mark.parametrize("kwargs, error, message", [
    ({"seq_len": 17}, ValueError, "train_char_transformer expects seq_len to be a positive integer at most the "
                                  "model's context, 16; got 17."),
    ({"model": torch.nn.Linear(2, 2)}, TypeError, "train_char_transformer expects model to be a CharTransformer; "
                                                  "got Linear."),
    ({"steps": 0}, ValueError, "train_charlm expects steps to be a positive integer; got 0."),
])
def test_train_char_transformer_rejects_bad_arguments(kwargs, error, message):
    vocab = CharVocabulary(TEXT)
    arguments = {"model": tiny_transformer(vocab.size), "ids": vocab.encode(TEXT), "steps": 2, "progress": False,
                 **kwargs}
    with pytest.raises(error, match=re.escape(message)):
        train_char_transformer(**arguments)


# ------------------------------------------------------------------ Seq2Seq
@pytest.mark.parametrize("bidirectional", [True, False])
@pytest.mark.parametrize("attention", [True, False])
def test_seq2seq_gives_logits_per_target_step(attention, bidirectional):
    model = Seq2Seq(12, hidden=16, attention=attention, bidirectional=bidirectional)
    source, target_inputs = torch.randint(0, 12, (3, 7)), torch.randint(0, 12, (3, 5))
    assert model(source, target_inputs).shape == (3, 5, 12)
    assert (model.last_attention is not None) == attention
    assert model.greedy_decode(source, length=4, start_id=0).shape == (3, 4)


def test_attention_weights_sum_to_one_over_the_encoder_positions():
    model = Seq2Seq(12, hidden=16)
    model(torch.randint(0, 12, (3, 7)), torch.randint(0, 12, (3, 5)))
    alpha = model.last_attention
    assert alpha.shape == (3, 5, 7) and torch.all(alpha > 0)
    torch.testing.assert_close(alpha.sum(dim=-1), torch.ones(3, 5))


@pytest.mark.parametrize("bidirectional", [True, False])
def test_first_attention_weights_are_the_additive_scores_from_the_first_decoder_state(bidirectional):
    model = Seq2Seq(12, hidden=16, bidirectional=bidirectional)
    source = torch.randint(0, 12, (2, 6))
    model(source, torch.zeros(2, 1, dtype=torch.long))
    with torch.no_grad():
        h, h_last = model.encoder(model.embedding(source))  # (2, 6, E), (directions, 2, 16)
        s_0 = torch.tanh(model.W_init(torch.cat([h_last[0], h_last[1]], -1))) if bidirectional else h_last[0]  # B0
        e = torch.tanh(s_0[:, None] @ model.W_s.weight.T + h @ model.W_h.weight.T + model.W_h.bias)
        e = (e @ model.v.weight.T)[..., 0]  # B1: v^T tanh(W_s s_0 + W_h h_j), (2, 6)
    assert h.shape == (2, 6, 32 if bidirectional else 16)
    torch.testing.assert_close(model.last_attention[:, 0], torch.softmax(e, dim=-1))


@pytest.mark.parametrize("attention", [True, False])
def test_greedy_decoding_is_teacher_forcing_on_its_own_argmax(attention):
    model = Seq2Seq(12, hidden=16, attention=attention, seed=1)
    source = torch.randint(0, 12, (4, 6))
    decoded = model.greedy_decode(source, length=5, start_id=0)
    inputs = torch.cat([torch.zeros(4, 1, dtype=torch.long), decoded[:, :-1]], dim=1)  # start, then its own outputs
    assert torch.equal(model(source, inputs).argmax(dim=-1), decoded)


def test_seq2seq_rejects_mismatched_batches_and_bad_start_ids():
    model = Seq2Seq(12, hidden=8)
    with pytest.raises(ValueError, match=r"as many target rows as source rows; got source of shape \(3, 4\) and "
                                         r"target_inputs of shape \(2, 4\)"):
        model(torch.zeros(3, 4, dtype=torch.long), torch.zeros(2, 4, dtype=torch.long))
    with pytest.raises(ValueError, match=r"start_id to be an integer in \[0, 11\]; got 12"):
        model.greedy_decode(torch.zeros(1, 4, dtype=torch.long), 3, start_id=12)
    with pytest.raises(TypeError, match="attention to be True or False; got 'yes'"):
        Seq2Seq(12, attention="yes")


def test_a_char_transformers_dropout_acts_in_training_only():
    model = CharTransformer(12, d_model=16, heads=2, layers=1, d_ff=32, context=8, dropout=0.5, seed=0)
    ids = torch.randint(0, 12, (2, 8), generator=torch.Generator().manual_seed(0))
    model.eval()
    assert torch.equal(model(ids), model(ids))
    model.train()
    assert not torch.equal(model(ids), model(ids))
    with pytest.raises(ValueError, match="dropout"):
        CharTransformer(12, dropout=1.0)


def test_a_reversal_batch_pairs_each_string_with_its_reverse_behind_the_start_symbol():
    source, target_inputs, targets = reversal_batch(3, 5, digits=10, generator=torch.Generator().manual_seed(0))
    assert source.shape == target_inputs.shape == targets.shape == (3, 5)
    assert torch.equal(targets, source.flip(1)) and int(source.max()) <= 9
    assert torch.all(target_inputs[:, 0] == 10) and torch.equal(target_inputs[:, 1:], targets[:, :-1])


def test_attention_learns_to_reverse_short_strings_and_accuracy_is_measured_per_position():
    model = Seq2Seq(11, hidden=32, attention=True, seed=0)
    before, _ = reversal_accuracy(model, 6, n=200)
    history = train_seq2seq(model, length=6, steps=150, batch_size=32, lr=1e-2, seed=0, progress=False)
    after, per_position = reversal_accuracy(model, 6, n=200)
    assert len(history["loss"]) == 150 and history["loss"][-1] < 0.5 * history["loss"][0]
    assert before < 0.3 and after > 0.8, (before, after)
    assert per_position.shape == (6,) and abs(per_position.mean().item() - after) < 1e-6
    with pytest.raises(TypeError, match="a Seq2Seq"):
        train_seq2seq(object(), length=6, steps=1)
