"""dlcourse.models.charlm: the character vocabulary, the recurrent language model, its sampler and
its training loop."""
import math
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcourse import datasets
from dlcourse.config import one_thread
from dlcourse.models.charlm import CharLM, CharVocabulary, sample_text, train_charlm

TEXT = "the cat sat on the mat. the dog sat on the log.\n"


@pytest.fixture(autouse=True)
def _one_thread():
    # these models are tiny: one thread is faster (no hand-offs between cores) and sums in a fixed order
    with one_thread():
        yield


def small_model(vocab, cell="lstm", embedding_dim=None, seed=0):
    torch.manual_seed(seed)
    return CharLM(vocab.size, hidden_size=16, cell=cell, embedding_dim=embedding_dim)


# ------------------------------------------------------------------ CharVocabulary
def test_vocabulary_holds_the_sorted_distinct_characters():
    vocab = CharVocabulary("banana")
    assert vocab.chars == ["a", "b", "n"]
    assert vocab.size == len(vocab) == 3
    assert "n" in vocab and "x" not in vocab


def test_encode_gives_a_long_tensor_of_ids_and_decode_inverts_it():
    vocab = CharVocabulary(TEXT)
    ids = vocab.encode(TEXT)
    assert ids.dtype == torch.long and ids.shape == (len(TEXT),)
    assert vocab.decode(ids) == TEXT
    assert vocab.encode("cat").tolist() == [vocab.chars.index(c) for c in "cat"]
    assert vocab.decode(ids.numpy()) == TEXT and vocab.decode(ids.tolist()) == TEXT  # arrays and lists work too
    assert vocab.decode([]) == "" and vocab.encode("").shape == (0,)


def test_vocabulary_of_the_course_corpus_round_trips_the_whole_text():
    text = datasets.text_corpus()
    vocab = CharVocabulary(text)
    assert vocab.size == len(set(text))
    assert vocab.decode(vocab.encode(text)) == text


def test_encode_names_the_unknown_characters():
    vocab = CharVocabulary(TEXT)
    with pytest.raises(ValueError, match=r"not in the vocabulary: 'Z', 'x'; use only the \d+ characters"):
        vocab.encode("the Zax")


@pytest.mark.parametrize("bad, error, message", [
    ("", ValueError, "CharVocabulary expects text to be a non-empty string .*; got an empty string."),
    (["a", "b"], TypeError, "CharVocabulary expects text to be a non-empty string .*; got list."),
])
def test_vocabulary_needs_a_non_empty_string(bad, error, message):
    with pytest.raises(error, match=message):
        CharVocabulary(bad)


def test_encode_rejects_non_strings_and_decode_rejects_bad_ids():
    vocab = CharVocabulary("abc")
    with pytest.raises(TypeError, match="encode expects text to be a string; got list"):
        vocab.encode(["a"])
    with pytest.raises(ValueError, match=r"ids in 0\.\.2; got 3"):
        vocab.decode([0, 3])
    with pytest.raises(ValueError, match=r"ids in 0\.\.2; got -1"):
        vocab.decode(torch.tensor([-1]))
    with pytest.raises(ValueError, match=r"1-D sequence of integer ids; got shape \(1, 2\)"):
        vocab.decode(torch.tensor([[0, 1]]))
    with pytest.raises(TypeError, match="1-D sequence of integer ids; got float64"):
        vocab.decode(np.array([0.0, 1.0]))


# ------------------------------------------------------------------ CharLM
@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
@pytest.mark.parametrize("embedding_dim", [None, 8])
def test_forward_gives_logits_per_step_and_the_state(cell, embedding_dim):
    vocab = CharVocabulary(TEXT)
    model = small_model(vocab, cell, embedding_dim)
    ids = torch.randint(0, vocab.size, (3, 7))
    logits, state = model(ids)
    assert logits.shape == (3, 7, vocab.size)
    h = state[0] if cell == "lstm" else state
    assert h.shape == (1, 3, 16)
    if cell == "lstm":
        assert state[1].shape == (1, 3, 16)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_reading_in_two_chunks_with_the_state_equals_reading_at_once(cell):
    vocab = CharVocabulary(TEXT)
    model = small_model(vocab, cell)
    ids = vocab.encode(TEXT)[None]  # (1, T)
    whole, _ = model(ids)
    first, state = model(ids[:, :10])
    second, _ = model(ids[:, 10:], state)
    torch.testing.assert_close(torch.cat([first, second], dim=1), whole)


def test_one_hot_model_is_an_lstm_on_one_hot_vectors_followed_by_the_linear_layer():
    vocab = CharVocabulary(TEXT)
    model = small_model(vocab)
    ids = vocab.encode("the cat")[None]
    logits, (h_n, c_n) = model(ids)
    outputs, (h_ref, _) = model.rnn(F.one_hot(ids, vocab.size).float())
    torch.testing.assert_close(logits, outputs @ model.head.weight.T + model.head.bias)
    torch.testing.assert_close(h_n, h_ref)
    assert model.rnn.input_size == vocab.size


def test_forward_rejects_bad_ids_and_states():
    vocab = CharVocabulary(TEXT)
    model = small_model(vocab)
    with pytest.raises(ValueError, match=r"ids of shape \(N, T\).*ids\[None\].*got shape \(5,\)"):
        model(torch.zeros(5, dtype=torch.long))
    with pytest.raises(TypeError, match="LongTensor of character ids.*got a torch.float32 tensor"):
        model(torch.zeros(1, 5))
    with pytest.raises(ValueError, match=rf"character ids in 0\.\.{vocab.size - 1}.*got {vocab.size}"):
        model(torch.full((1, 2), vocab.size))
    _, state = model(torch.zeros(3, 4, dtype=torch.long))
    with pytest.raises(ValueError, match=r"pair \(h, c\) of tensors of shape .* = \(1, 2, 16\).*got Tensor of shape "
                                         r"\(1, 3, 16\), Tensor of shape \(1, 3, 16\)"):
        model(torch.zeros(2, 4, dtype=torch.long), state)
    with pytest.raises(ValueError, match="pair \\(h, c\\) of tensors.*got Tensor of shape \\(1, 3, 16\\)"):
        model(torch.zeros(3, 4, dtype=torch.long), state[0])


def test_gru_state_must_be_one_tensor_of_the_right_shape():
    vocab = CharVocabulary(TEXT)
    model = small_model(vocab, cell="gru")
    _, state = model(torch.zeros(2, 4, dtype=torch.long))
    assert model(torch.zeros(2, 1, dtype=torch.long), state)[0].shape == (2, 1, vocab.size)
    with pytest.raises(ValueError, match=r"state to be a tensor of shape \(num_layers, N, hidden_size\) = "
                                         r"\(1, 2, 16\).*got Tensor of shape \(1, 2, 16\), Tensor"):
        model(torch.zeros(2, 4, dtype=torch.long), (state, state))


@pytest.mark.parametrize("kwargs, error, message", [
    ({"vocab_size": 0}, ValueError, "CharLM expects vocab_size to be a positive integer; got 0."),
    ({"vocab_size": 10, "cell": "transformer"}, ValueError,
     "CharLM expects cell to be one of 'lstm', 'gru', 'rnn'; got 'transformer'."),
    ({"vocab_size": 10, "hidden_size": 2.5}, TypeError,
     "CharLM expects hidden_size to be a positive integer; got 2.5."),
    ({"vocab_size": "65"}, TypeError, "CharLM expects vocab_size to be a positive integer; got '65'."),
])
def test_charlm_rejects_bad_sizes(kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        CharLM(**kwargs)


# ------------------------------------------------------------------ sample_text
def test_sampler_returns_the_prompt_and_length_new_characters_of_the_vocabulary():
    vocab = CharVocabulary(TEXT)
    text = sample_text(small_model(vocab), vocab, "the ", 40)
    assert text.startswith("the ") and len(text) == 44
    assert set(text) <= set(vocab.chars)


def test_sampler_is_deterministic_for_a_seed_and_leaves_the_global_generator_alone():
    vocab = CharVocabulary(TEXT)
    model = small_model(vocab)
    torch.manual_seed(123)
    before = torch.get_rng_state()
    first = sample_text(model, vocab, "the", 60, seed=5)
    assert torch.equal(torch.get_rng_state(), before)
    assert sample_text(model, vocab, "the", 60, seed=5) == first
    assert sample_text(model, vocab, "the", 60, seed=6) != first  # an untrained model is nearly uniform


def test_sampler_restores_training_mode():
    vocab = CharVocabulary(TEXT)
    model = small_model(vocab).train()
    sample_text(model, vocab, "a", 3)
    assert model.training
    sample_text(model.eval(), vocab, "a", 3)
    assert not model.training


@torch.no_grad()
def greedy_text(model, vocab, prompt, length):
    ids = vocab.encode(prompt)[None]
    logits, state = model(ids)
    out = []
    for _ in range(length):
        next_id = logits[0, -1].argmax().view(1, 1)
        out.append(int(next_id))
        logits, state = model(next_id, state)
    return prompt + vocab.decode(out)


def test_sampling_at_a_tiny_temperature_is_greedy_decoding_for_every_seed():
    vocab = CharVocabulary(TEXT)
    model = small_model(vocab, seed=3).eval()
    expected = greedy_text(model, vocab, "the ", 50)
    assert {sample_text(model, vocab, "the ", 50, temperature=1e-6, seed=s) for s in range(4)} == {expected}


def test_the_share_of_each_character_follows_softmax_of_logits_over_temperature():
    # a model whose scores ignore the input: logits = b_y at every step, so p = softmax(b_y / temperature)
    vocab = CharVocabulary(TEXT)
    model = small_model(vocab)
    logits = torch.zeros(vocab.size)
    logits[:3] = torch.tensor([3.0, 1.0, 0.5])
    with torch.no_grad():
        model.head.weight.zero_()
        model.head.bias.copy_(logits)
    shares = []
    for temperature in (0.1, 1.0, 5.0):
        new = vocab.encode(sample_text(model, vocab, "t", 400, temperature=temperature, seed=0)[1:])
        counts = torch.bincount(new, minlength=vocab.size).double() / 400
        expected = torch.softmax(logits.double() / temperature, dim=0)
        assert torch.allclose(counts, expected, atol=0.06), (temperature, counts[:3], expected[:3])
        shares.append(counts[0].item())
    assert shares[0] > shares[1] > shares[2]  # colder sampling concentrates on the most likely character


@pytest.mark.parametrize("kwargs, error, message", [
    ({"temperature": 0}, ValueError, "temperature to be a positive number.*got 0"),
    ({"temperature": -1.0}, ValueError, "temperature to be a positive number.*got -1.0"),
    ({"temperature": float("nan")}, ValueError, "temperature to be a positive number"),
    ({"temperature": "hot"}, TypeError, "temperature to be a positive number.*got 'hot'"),
    ({"prompt": ""}, ValueError, "prompt of at least one character"),
    ({"prompt": 42}, TypeError, "prompt to be a string of at least one character.*got int"),
    ({"prompt": "the Zoo"}, ValueError, "not in the vocabulary: 'Z'"),
    ({"length": -1}, ValueError, "length to be a non-negative integer; got -1"),
    ({"length": 5.0}, TypeError, "length to be a non-negative integer; got 5.0"),
    ({"seed": -2}, ValueError, "seed to be a non-negative integer; got -2"),
])
def test_sampler_rejects_bad_arguments(kwargs, error, message):
    vocab = CharVocabulary(TEXT)
    arguments = {"prompt": "the ", "length": 5, **kwargs}
    with pytest.raises(error, match=message):
        sample_text(small_model(vocab), vocab, **arguments)


def test_sampler_needs_the_matching_vocabulary_and_a_charlm():
    vocab = CharVocabulary(TEXT)
    with pytest.raises(ValueError, match=r"vocabulary of 3 characters for a model with vocab_size=\d+"):
        sample_text(small_model(vocab), CharVocabulary("abc"), "a", 5)
    with pytest.raises(TypeError, match="model to be a CharLM; got Linear"):
        sample_text(torch.nn.Linear(2, 2), vocab, "a", 5)
    with pytest.raises(TypeError, match="vocab to be a CharVocabulary; got str"):
        sample_text(small_model(vocab), "abc", "a", 5)


# ------------------------------------------------------------------ train_charlm
def test_a_short_training_run_lowers_the_training_and_validation_loss():
    text = TEXT * 30
    vocab = CharVocabulary(text)
    model = small_model(vocab, embedding_dim=8)
    ids = vocab.encode(text)
    history = train_charlm(model, ids, steps=60, seq_len=16, batch_size=8, lr=1e-2, val_ids=ids[:200],
                           eval_every=20, progress=False)
    assert len(history["loss"]) == len(history["grad_norm"]) == 60
    assert history["val_step"] == [20, 40, 60]
    assert history["loss"][0] > math.log(vocab.size) - 0.3  # starts near a uniform guess, ln V nats
    assert np.mean(history["loss"][-10:]) < 0.6 * np.mean(history["loss"][:10])
    assert history["val_loss"][-1] < 0.6 * history["loss"][0]
    assert not model.training


def test_training_repeats_exactly_for_the_same_seeds():
    text = TEXT * 10
    vocab = CharVocabulary(text)
    runs = [train_charlm(small_model(vocab), vocab.encode(text), steps=5, seq_len=8, batch_size=4,
                         progress=False)["loss"] for _ in range(2)]
    assert runs[0] == runs[1]


def test_clipping_bounds_the_update_but_the_history_records_the_raw_norm():
    text = TEXT * 10
    vocab = CharVocabulary(text)
    ids = vocab.encode(text)
    clipped = train_charlm(small_model(vocab), ids, steps=3, seq_len=8, batch_size=4, max_grad_norm=1e-3,
                           progress=False)
    free = train_charlm(small_model(vocab), ids, steps=3, seq_len=8, batch_size=4, max_grad_norm=None,
                        progress=False)
    assert clipped["grad_norm"][0] == free["grad_norm"][0] > 1e-3  # the same first gradient, measured before clipping
    assert clipped["loss"][1] != free["loss"][1]  # ... but a different step


def test_validation_loss_reads_the_text_in_one_pass():
    # the loss over a text, read in chunks with the state carried along, equals the loss of one forward pass
    vocab = CharVocabulary(TEXT)
    model = small_model(vocab)
    ids = vocab.encode(TEXT * 12)  # 588 characters: read in chunks of 256
    history = train_charlm(model, ids, steps=1, seq_len=8, batch_size=2, lr=1e-9, val_ids=ids, progress=False)
    with torch.no_grad():
        logits, _ = model(ids[None, :-1])
    expected = F.cross_entropy(logits[0], ids[1:]).item()
    assert history["val_loss"] == [pytest.approx(expected, rel=1e-5)]


@pytest.mark.parametrize("kwargs, error, message", [
    ({"steps": 0}, ValueError, "steps to be a positive integer; got 0"),
    ({"steps": "100"}, TypeError, "steps to be a positive integer; got '100'"),
    ({"lr": -0.1}, ValueError, "lr to be a positive number; got -0.1"),
    ({"lr": "3e-3"}, TypeError, "lr to be a positive number; got '3e-3'"),
    ({"max_grad_norm": 0}, ValueError, "max_grad_norm to be a positive number; got 0"),
    ({"seq_len": 10_000}, ValueError, r"ids to hold at least 10001 characters; got \d+"),
    ({"ids": "the cat"}, TypeError, "ids to be a 1-D LongTensor of character ids.*got the string"),
    ({"ids": torch.zeros(30)}, TypeError, "ids to be a 1-D LongTensor of character ids.*got a torch.float32 tensor"),
    ({"ids": torch.zeros(2, 30, dtype=torch.long)}, ValueError, r"1-D LongTensor.*shape \(2, 30\)"),
    ({"val_ids": torch.tensor([0])}, ValueError, "val_ids to hold at least 2 characters; got 1"),
    ({"model": torch.nn.LSTM(3, 3)}, TypeError, "model to be a CharLM; got LSTM"),
])
def test_train_charlm_rejects_bad_arguments(kwargs, error, message):
    vocab = CharVocabulary(TEXT)
    arguments = {"model": small_model(vocab), "ids": vocab.encode(TEXT), "steps": 2, "seq_len": 8,
                 "progress": False, **kwargs}
    with pytest.raises(error, match=message):
        train_charlm(**arguments)
