"""dlcourse.nn.rnn: RNN, LSTM and GRU cells equal torch's, step by step and through time; so does clipping."""
import numpy as np
import pytest
import torch

import dlcourse.nn as nn
from dlcourse.nn import rnn
from dlcourse.nn.rnn import GRUCell, LSTMCell, RNNCell, clip_grad_norm

NAMES = ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]
T, N, I, H = 7, 3, 4, 5  # BPTT over 7 steps, batch 3, input 4, hidden 5

CELLS = {  # name: (our cell, torch cell, torch multi-step module, keyword arguments)
    "rnn-tanh": (RNNCell, torch.nn.RNNCell, torch.nn.RNN, {"nonlinearity": "tanh"}),
    "rnn-relu": (RNNCell, torch.nn.RNNCell, torch.nn.RNN, {"nonlinearity": "relu"}),
    "lstm": (LSTMCell, torch.nn.LSTMCell, torch.nn.LSTM, {}),
    "gru": (GRUCell, torch.nn.GRUCell, torch.nn.GRU, {}),
}


def torch_copy(ours, torch_class, kwargs, suffix=""):
    """A float64 torch module holding our weights (suffix "_l0" for the multi-step modules)."""
    theirs = torch_class(ours.input_size, ours.hidden_size, **kwargs).double()
    with torch.no_grad():
        for name in NAMES:
            getattr(theirs, name + suffix).copy_(torch.from_numpy(getattr(ours, name)))
    return theirs


def data(seed=0):
    rng = np.random.default_rng(seed)
    return {"xs": rng.normal(size=(T, N, I)), "h0": rng.normal(size=(N, H)), "c0": rng.normal(size=(N, H)),
            "grad_hs": rng.normal(size=(T, N, H)), "grad_c_last": rng.normal(size=(N, H))}


# ------------------------------------------------------------------ parameters
@pytest.mark.parametrize("key", CELLS)
def test_parameters_have_torch_names_shapes_and_init_range(key):
    ours_class, torch_class, _, kwargs = CELLS[key]
    ours, theirs = ours_class(I, H, seed=0, **kwargs), torch_class(I, H, **kwargs)
    bound = 1 / np.sqrt(H)
    for name, parameter in theirs.named_parameters():
        assert getattr(ours, name).shape == tuple(parameter.shape)
        assert getattr(ours, name).dtype == np.float64
        assert np.all(np.abs(getattr(ours, name)) <= bound)
    assert [p is getattr(ours, name) for p, name in zip(ours.parameters(), NAMES)] == [True] * 4


def test_the_seed_fixes_the_weights():
    first, again, other = LSTMCell(3, 4, seed=7), LSTMCell(3, 4, seed=7), LSTMCell(3, 4, seed=8)
    for name in NAMES:
        np.testing.assert_array_equal(getattr(first, name), getattr(again, name))
        assert not np.array_equal(getattr(first, name), getattr(other, name))


def test_large_layers_fill_the_whole_uniform_range():
    w = RNNCell(50, 400, seed=1).weight_hh
    assert abs(w.max() - 0.05) < 1e-3 and abs(w.min() + 0.05) < 1e-3 and abs(w.mean()) < 1e-3


def test_identity_init_sets_w_hh_to_the_identity_and_biases_to_zero():
    plain, identity = RNNCell(I, H, "relu", seed=0), RNNCell(I, H, "relu", seed=0, identity_init=True)
    np.testing.assert_array_equal(identity.weight_hh, np.eye(H))
    assert not identity.bias_ih.any() and not identity.bias_hh.any()
    np.testing.assert_array_equal(identity.weight_ih, plain.weight_ih)  # the input weights are unchanged
    # with ReLU and no input the state is carried unchanged through every step
    h0 = np.abs(data()["h0"])
    hs = identity.forward_sequence(np.zeros((T, N, I)), h0)
    np.testing.assert_array_equal(hs, np.broadcast_to(h0, (T, N, H)))


# ------------------------------------------------------------------ one step
@pytest.mark.parametrize("key", CELLS)
def test_one_step_matches_the_torch_cell(key):
    ours_class, torch_class, _, kwargs = CELLS[key]
    ours = ours_class(I, H, seed=1, **kwargs)
    theirs = torch_copy(ours, torch_class, kwargs)
    d = data()
    x, h, c = d["xs"][0], d["h0"], d["c0"]
    if key == "lstm":
        got, expected = ours.forward(x, (h, c)), theirs(torch.tensor(x), (torch.tensor(h), torch.tensor(c)))
        np.testing.assert_allclose(got[1], expected[1].detach().numpy(), rtol=1e-12, atol=1e-14)
        got, expected = got[0], expected[0]
    else:
        got, expected = ours.forward(x, h), theirs(torch.tensor(x), torch.tensor(h))
    np.testing.assert_allclose(got, expected.detach().numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("key", CELLS)
def test_a_missing_state_means_zeros_as_in_torch(key):
    ours_class, torch_class, _, kwargs = CELLS[key]
    ours = ours_class(I, H, seed=2, **kwargs)
    x = data()["xs"][0]
    got = ours.forward(x)
    expected = torch_copy(ours, torch_class, kwargs)(torch.tensor(x))
    if key == "lstm":
        got, expected = got[0], expected[0]
    np.testing.assert_allclose(got, expected.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_lstm_cell_works_as_the_benchmark_uses_it():
    # benchmarks/run.py builds LSTMCell(32, 64, seed=0), copies getattr(ours, name) by torch's names
    rng = np.random.default_rng(0)
    x, h, c = rng.normal(size=(64, 32)), rng.normal(size=(64, 64)), rng.normal(size=(64, 64))
    ours, theirs = LSTMCell(32, 64, seed=0), torch.nn.LSTMCell(32, 64).double()
    with torch.no_grad():
        for name, parameter in theirs.named_parameters():
            parameter.copy_(torch.from_numpy(getattr(ours, name)))
    expected = theirs(torch.tensor(x), (torch.tensor(h), torch.tensor(c)))
    assert np.abs(ours.forward(x, (h, c))[0] - expected[0].detach().numpy()).max() < 1e-12


# ------------------------------------------------------------------ sequences and BPTT
def torch_sequence(ours, key, d):
    """Torch's hs and its gradients for the loss sum(grad_hs * hs) (+ sum(grad_c_last * c_T) for the LSTM)."""
    _, _, module_class, kwargs = CELLS[key]
    theirs = torch_copy(ours, module_class, kwargs, suffix="_l0")
    xs, h0, c0 = (torch.tensor(d[k], requires_grad=True) for k in ("xs", "h0", "c0"))
    if key == "lstm":
        hs, (h_n, c_n) = theirs(xs, (h0[None], c0[None]))
        loss = (hs * torch.tensor(d["grad_hs"])).sum() + (c_n[0] * torch.tensor(d["grad_c_last"])).sum()
    else:
        hs, h_n = theirs(xs, h0[None])
        loss = (hs * torch.tensor(d["grad_hs"])).sum()
    loss.backward()
    grads = {name: getattr(theirs, name + "_l0").grad.numpy() for name in NAMES}
    grads.update(xs=xs.grad.numpy(), h0=h0.grad.numpy())
    if key == "lstm":
        grads["c0"] = c0.grad.numpy()
    return hs.detach().numpy(), grads, (h_n, c_n) if key == "lstm" else h_n


@pytest.mark.parametrize("key", CELLS)
def test_forward_sequence_and_bptt_match_torch_autograd(key):
    ours_class, _, _, kwargs = CELLS[key]
    ours = ours_class(I, H, seed=3, **kwargs)
    d = data(seed=4)
    if key == "lstm":
        hs = ours.forward_sequence(d["xs"], (d["h0"], d["c0"]))
        grads = ours.backward_sequence(d["grad_hs"], grad_c_last=d["grad_c_last"])
    else:
        hs = ours.forward_sequence(d["xs"], d["h0"])
        grads = ours.backward_sequence(d["grad_hs"])
    expected_hs, expected, last = torch_sequence(ours, key, d)
    np.testing.assert_allclose(hs, expected_hs, rtol=1e-12, atol=1e-14)
    wanted = NAMES + ["xs", "h0"] + (["c0"] if key == "lstm" else [])
    assert sorted(grads) == sorted(wanted)
    for name in wanted:
        np.testing.assert_allclose(grads[name], expected[name], rtol=1e-10, atol=1e-12, err_msg=name)
    if key == "lstm":
        np.testing.assert_allclose(ours.last_state[1], last[1][0].detach().numpy(), rtol=1e-12, atol=1e-14)


def test_rnn_sequence_equals_stepping_the_cell_by_hand():
    cell, d = RNNCell(I, H, seed=5), data()
    h = d["h0"]
    hs = cell.forward_sequence(d["xs"], h)
    for t in range(T):
        h = cell.forward(d["xs"][t], h)
        np.testing.assert_array_equal(hs[t], h)


@pytest.mark.parametrize("scale, expected", [(0.5, 0.5 ** T), (1.5, 1.5 ** T)], ids=["vanishing", "exploding"])
def test_gradient_to_h0_is_scaled_by_one_factor_of_w_hh_per_step(scale, expected):
    # A linear regime (ReLU, positive states, W_hh = s I, no input): dL/dh0 = (W_hh^T)^T dL/dh_T = s^T dL/dh_T
    cell = RNNCell(I, H, "relu", seed=0, identity_init=True)
    cell.weight_hh = scale * np.eye(H)
    cell.forward_sequence(np.zeros((T, N, I)), np.ones((N, H)))
    grad_hs = np.zeros((T, N, H))
    grad_hs[-1] = 1.0  # the loss sees only the last state
    np.testing.assert_allclose(cell.backward_sequence(grad_hs)["h0"], expected, rtol=1e-12)


def test_inputs_are_copied_so_later_changes_do_not_alter_bptt():
    cell, d = RNNCell(I, H, seed=6), data()
    xs = d["xs"].copy()
    cell.forward_sequence(xs, d["h0"])
    first = cell.backward_sequence(d["grad_hs"])["weight_ih"]
    xs[:] = 0.0
    np.testing.assert_array_equal(cell.backward_sequence(d["grad_hs"])["weight_ih"], first)


# ------------------------------------------------------------------ clipping
def torch_clip(grads, max_norm):
    tensors = []
    for g in grads:
        t = torch.zeros(g.shape, dtype=torch.float64, requires_grad=True)
        t.grad = torch.tensor(g)
        tensors.append(t)
    total = torch.nn.utils.clip_grad_norm_(tensors, max_norm)
    return float(total), [t.grad.numpy() for t in tensors]


# the joint norm of these gradients is 2.51
@pytest.mark.parametrize("max_norm", [0.5, 2.5, 100.0], ids=["clipped", "barely-clipped", "untouched"])
def test_clip_grad_norm_matches_torch_in_place(max_norm):
    rng = np.random.default_rng(7)
    grads = [rng.normal(size=(4, 3)), rng.normal(size=(3,)), rng.normal(size=())]
    expected_norm, expected = torch_clip(grads, max_norm)
    held = list(grads)
    norm = clip_grad_norm(grads, max_norm)
    assert norm == pytest.approx(expected_norm, rel=1e-12)
    for g, e, h in zip(grads, expected, held):
        assert g is h
        np.testing.assert_allclose(g, e, rtol=1e-12, atol=0)


def test_clip_grad_norm_returns_the_norm_before_and_leaves_max_norm_after():
    grads = [np.array([3.0, 0.0]), np.array([[4.0]])]  # joint norm 5
    assert clip_grad_norm(grads, 1.0) == 5.0
    joint = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    assert joint == pytest.approx(5.0 / (5.0 + 1e-6), rel=1e-12)  # torch's 1e-6 leaves it a hair under 1
    np.testing.assert_allclose(grads[0], [3.0 / (5 + 1e-6), 0.0], rtol=1e-12)


def test_clip_grad_norm_takes_a_single_array_and_the_gradients_of_a_cell():
    g = np.array([6.0, 8.0])
    assert clip_grad_norm(g, 5.0) == 10.0
    np.testing.assert_allclose(g, [3.0, 4.0], rtol=1e-6)
    cell, d = LSTMCell(I, H, seed=0), data()
    cell.forward_sequence(d["xs"])
    grads = cell.backward_sequence(100 * d["grad_hs"])
    weights = [grads[name] for name in NAMES]
    clip_grad_norm(weights, 1.0)
    assert np.sqrt(sum(np.sum(w ** 2) for w in weights)) <= 1.0


def test_clip_grad_norm_spreads_non_finite_norms_as_torch_does():
    for bad in (np.nan, np.inf):
        grads = [np.array([bad, 1.0])]
        expected_norm, expected = torch_clip([g.copy() for g in grads], 1.0)
        with np.errstate(all="raise"):
            norm = clip_grad_norm(grads, 1.0)
        assert np.isnan(norm) if np.isnan(bad) else norm == expected_norm
        np.testing.assert_array_equal(grads[0], expected[0])


def test_clip_grad_norm_rejects_what_it_cannot_rescale_in_place():
    with pytest.raises(TypeError, match=r"clip_grad_norm expects grads\[1\] to be a float NumPy array it can rescale "
                                        r"in place; got int64 array"):
        clip_grad_norm([np.zeros(2), np.arange(3)], 1.0)
    with pytest.raises(TypeError, match="clip_grad_norm expects grads to be a NumPy array or a list of them; got dict"):
        clip_grad_norm({"w": np.zeros(2)}, 1.0)
    with pytest.raises(ValueError, match="clip_grad_norm expects max_norm to be a non-negative number; got -1"):
        clip_grad_norm([np.zeros(2)], -1)


# ------------------------------------------------------------------ bad input
def test_cells_reject_bad_sizes_and_nonlinearities():
    with pytest.raises(ValueError, match="LSTMCell expects hidden_size to be a positive integer; got 0"):
        LSTMCell(3, 0)
    with pytest.raises(ValueError, match="RNNCell expects nonlinearity to be one of 'tanh', 'relu'; got 'sigmoid'"):
        RNNCell(3, 4, nonlinearity="sigmoid")


def test_cells_refuse_a_fractional_size_with_a_type_error_and_a_zero_size_with_a_value_error():
    with pytest.raises(TypeError, match=r"^GRUCell expects input_size to be a positive integer; got 2\.5\.$"):
        GRUCell(2.5, 4)
    with pytest.raises(ValueError, match=r"^GRUCell expects input_size to be a positive integer; got 0\.$"):
        GRUCell(0, 4)
    with pytest.raises(TypeError, match=r"^RNNCell expects identity_init to be True or False; got 1\.$"):
        RNNCell(3, 4, identity_init=1)


@pytest.mark.parametrize("cell_class", [RNNCell, LSTMCell, GRUCell])
def test_forward_names_the_expected_shape_of_x(cell_class):
    cell = cell_class(I, H)
    with pytest.raises(ValueError, match=rf"{cell_class.__name__}.forward expects x of shape \(N, input_size\) = "
                                         rf"\(N, 4\); got shape \(3, 5\)"):
        cell.forward(np.zeros((3, 5)))
    with pytest.raises(ValueError, match=rf"{cell_class.__name__}.forward_sequence expects xs of shape "
                                         rf"\(T, N, input_size\) = \(T, N, 4\); got shape \(3, 4\)"):
        cell.forward_sequence(np.zeros((3, 4)))


def test_the_state_must_have_one_row_per_example():
    with pytest.raises(ValueError, match=r"RNNCell.forward expects h of shape \(N, hidden_size\) = \(3, 5\), one row "
                                         r"per example of x; got shape \(2, 5\)"):
        RNNCell(I, H).forward(np.zeros((3, I)), np.zeros((2, H)))
    with pytest.raises(TypeError, match=r"^LSTMCell.forward expects state to be a pair \(h, c\) of arrays of shape "
                                        r"\(N, hidden_size\) = \(3, 5\), or None; got ndarray\.$"):
        LSTMCell(I, H).forward(np.zeros((3, I)), np.zeros((3, H)))
    with pytest.raises(ValueError, match=r"^LSTMCell.forward expects state to be a pair \(h, c\).*; got 3 arrays\.$"):
        LSTMCell(I, H).forward(np.zeros((3, I)), [np.zeros((3, H))] * 3)


@pytest.mark.parametrize("cell_class", [RNNCell, LSTMCell, GRUCell])
def test_backward_needs_a_forward_sequence_and_matching_gradients(cell_class):
    cell = cell_class(I, H)
    with pytest.raises(RuntimeError, match=rf"{cell_class.__name__}.backward_sequence needs the states of a forward "
                                           r"pass; call forward_sequence\(xs\) first"):
        cell.backward_sequence(np.zeros((T, N, H)))
    cell.forward_sequence(np.zeros((T, N, I)))
    with pytest.raises(ValueError, match=r"expects grad_hs of the shape of the hidden states \(T, N, hidden_size\) = "
                                         r"\(7, 3, 5\); got shape \(6, 3, 5\)"):
        cell.backward_sequence(np.zeros((T - 1, N, H)))


def test_every_routed_name_resolves_to_this_module():
    for name in ["RNNCell", "LSTMCell", "GRUCell", "clip_grad_norm"]:
        assert name in rnn.__all__
        assert getattr(nn, name) is getattr(rnn, name)
