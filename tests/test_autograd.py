"""Behaviour of dlcourse.nn.autograd: the scalar engine's gradients against torch autograd."""
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from dlcourse.nn import Value
from dlcourse.nn.autograd import draw_graph


def both(*numbers):
    """The same inputs as Values and as float64 torch scalars that require grad."""
    return [Value(x) for x in numbers], [torch.tensor(float(x), dtype=torch.float64, requires_grad=True)
                                         for x in numbers]


def assert_grads_match(values, tensors):
    for v, t in zip(values, tensors, strict=True):
        expected = 0.0 if t.grad is None else t.grad.item()
        assert v.grad == pytest.approx(expected, rel=1e-10, abs=1e-12)


EXPRESSIONS = {
    "arithmetic": lambda a, b, c: (a * b + c) / (a - c) - 3.0 * b + 2.0 / a - (-c),
    "powers": lambda a, b, c: a**2 * b**3 + (c**2) ** 0.5 - a**-1,
    "exp_log": lambda a, b, c: (a * b).exp().log() + (c * c + 1.0).log() * a.exp(),
    "activations": lambda a, b, c: a.tanh() * b.sigmoid() + (c - 1.0).relu() + (a * c).relu(),
    "reused_node": lambda a, b, c: (lambda d: d * d + d * a)(a * b + c),
}


@pytest.mark.parametrize("name", sorted(EXPRESSIONS))
def test_gradients_match_torch_autograd(name):
    values, tensors = both(1.5, -0.7, 2.2)
    out = EXPRESSIONS[name](*values)
    out.backward()

    expected = EXPRESSIONS[name](*tensors)  # Value shares torch's method names: exp, log, tanh, ...
    expected.backward()
    assert out.data == pytest.approx(expected.item(), rel=1e-12)
    assert_grads_match(values, tensors)


def test_a_tanh_neuron_matches_torch():
    (x1, x2, w1, w2, b), tensors = both(2.0, 0.0, -3.0, 1.0, 6.8813735870195432)
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.backward()
    tx1, tx2, tw1, tw2, tb = tensors
    torch.tanh(tx1 * tw1 + tx2 * tw2 + tb).backward()
    assert o.data == pytest.approx(math.sqrt(0.5), abs=1e-6)
    assert_grads_match([x1, x2, w1, w2, b], tensors)


def test_a_two_layer_mlp_of_values_matches_torch():
    rng = np.random.default_rng(0)
    W1, b1, W2, b2 = rng.normal(size=(4, 3)), rng.normal(size=4), rng.normal(size=(2, 4)), rng.normal(size=2)
    X, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    V = {name: [[Value(w) for w in row] for row in np.atleast_2d(arr)]
         for name, arr in dict(W1=W1, b1=b1, W2=W2, b2=b2).items()}

    loss = Value(0.0)
    for x, target in zip(X, y):
        h = [sum((w * xi for w, xi in zip(V["W1"][j], x)), V["b1"][0][j]).tanh() for j in range(4)]
        out = [sum((w * hi for w, hi in zip(V["W2"][k], h)), V["b2"][0][k]) for k in range(2)]
        loss = loss + sum((o - t) ** 2 for o, t in zip(out, target))
    loss = loss / 10
    loss.backward()

    params = [torch.tensor(a, requires_grad=True) for a in (W1, b1, W2, b2)]
    pW1, pb1, pW2, pb2 = params
    out = torch.tanh(torch.from_numpy(X) @ pW1.T + pb1) @ pW2.T + pb2
    expected = torch.nn.functional.mse_loss(out, torch.from_numpy(y))
    expected.backward()
    assert loss.data == pytest.approx(expected.item(), rel=1e-12)
    for name, p in zip(["W1", "b1", "W2", "b2"], params):
        got = np.array([[v.grad for v in row] for row in V[name]]).reshape(p.shape)
        np.testing.assert_allclose(got, p.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_a_node_used_twice_accumulates_both_paths():
    a = Value(3.0)
    (a * a + a).backward()  # d/da (a^2 + a) = 2a + 1
    assert a.grad == 7.0
    b = Value(-2.0)
    c = b + b
    c.backward()
    assert b.grad == 2.0


def test_leaf_gradients_accumulate_over_backward_calls_like_torch_but_inner_ones_do_not():
    a, b = Value(2.0), Value(5.0)
    product = a * b
    out = product + 1.0
    out.backward()
    out.backward()
    assert a.grad == 10.0 and b.grad == 4.0  # twice d/da = 2b, twice d/db = 2a
    assert product.grad == 1.0
    a.grad = 0.0
    out.backward()
    assert a.grad == 5.0


def test_long_chains_do_not_hit_the_recursion_limit():
    x = Value(1.0)
    total = x
    for _ in range(5000):
        total = total + x
    total.backward()
    assert total.data == 5001.0 and x.grad == 5001.0


def test_relu_has_zero_gradient_at_zero_and_sigmoid_exp_are_safe_for_large_inputs():
    z = Value(0.0)
    z.relu().backward()
    assert z.grad == 0.0
    assert Value(-1000.0).sigmoid().data == 0.0 and Value(1000.0).sigmoid().data == 1.0
    assert Value(1000.0).exp().data == math.inf


@pytest.mark.parametrize("make, error, message", [
    (lambda: Value(1.0) + "2", TypeError, r"Value supports \+ with numbers or other Values; got str"),
    (lambda: Value(1.0) * [2], TypeError, r"Value supports \* with numbers or other Values; got list"),
    (lambda: Value(1.0) ** Value(2.0), TypeError, r"plain number as exponent"),
    (lambda: 2 ** Value(1.0), TypeError, r"only number \*\* exponents"),
    (lambda: Value("a"), TypeError, r"^Value expects data to be a finite real number \(int or float\); got 'a'\.$"),
    (lambda: Value(True), TypeError, r"got True"),
    (lambda: Value(float("nan")), ValueError, r"^Value expects data to be a finite real number .*; got nan"),
    (lambda: Value(1.0, label=1), TypeError, r"^Value expects label to be a string such as 'x'; got int\.$"),
    (lambda: Value(1.0).backward("1"), TypeError, r"^Value.backward expects grad to be a finite real number"),
    (lambda: Value(-1.0).log(), ValueError, r"Value.log expects a positive number; got -1"),
    (lambda: Value(1.0) / 0, ZeroDivisionError, r"denominator"),
    (lambda: Value(-2.0) ** 0.5, ValueError, r"non-negative base"),
])
def test_bad_operands_raise_one_clear_sentence(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_draw_graph_draws_one_box_per_value_and_one_circle_per_operation():
    x, w, b = Value(2.0, "x"), Value(-3.0, "w"), Value(1.0, "b")
    y = (x * w + b).tanh()
    y.label = "y"
    y.backward()
    ax = draw_graph(y)
    texts = [t.get_text() for t in ax.texts if t.get_text()]  # arrows are empty annotations
    assert sum("data" in t for t in texts) == 6  # x, w, b, x*w, x*w + b, y
    assert sorted(t for t in texts if "data" not in t) == ["*", "+", "tanh"]
    assert any(t.startswith("y\n") and "grad 1" in t for t in texts)
    plt.close(ax.figure)
    with pytest.raises(TypeError, match=r"draw_graph expects a Value"):
        draw_graph(1.0)
