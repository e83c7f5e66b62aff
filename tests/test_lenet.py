"""LeNet has the paper's shapes and parameter count, shows its feature maps without gradients,
and refuses inputs of the wrong shape with a sentence that says what to do."""
import numpy as np
import pytest
import torch
from torch import nn

from dlcourse.config import one_thread
from dlcourse.models import LeNet, feature_maps, fit


def _parameter_count(model):
    return sum(p.numel() for p in model.parameters())


def _formula(C, K, c1, c2, h1, h2):
    # c1 (25 C + 1) + c2 (25 c1 + 1) + h1 (25 c2 + 1) + h2 (h1 + 1) + K (h2 + 1), as in the docstring
    return c1 * (25 * C + 1) + c2 * (25 * c1 + 1) + h1 * (25 * c2 + 1) + h2 * (h1 + 1) + K * (h2 + 1)


def test_lenet_maps_a_batch_of_digits_to_one_logit_per_class():
    torch.manual_seed(0)
    logits = LeNet()(torch.randn(5, 1, 28, 28))
    assert logits.shape == (5, 10) and logits.dtype == torch.float32


def test_lenet_with_the_papers_sizes_has_61706_parameters():
    assert _parameter_count(LeNet()) == 61_706 == _formula(1, 10, 6, 16, 120, 84)


@pytest.mark.parametrize("C, K, channels, hidden", [(3, 5, (8, 20), (64, 32)), (1, 2, (1, 1), (1, 1))])
def test_parameter_count_follows_the_docstrings_formula(C, K, channels, hidden):
    model = LeNet(in_channels=C, num_classes=K, channels=channels, hidden=hidden)
    assert _parameter_count(model) == _formula(C, K, *channels, *hidden)
    assert model(torch.zeros(2, C, 28, 28)).shape == (2, K)


def test_layers_have_the_papers_kernel_sizes_and_max_pooling():
    model = LeNet()
    assert [tuple(m.weight.shape) for m in model.modules() if isinstance(m, nn.Conv2d)] == [(6, 1, 5, 5), (16, 6, 5, 5)]
    assert [m.out_features for m in model.modules() if isinstance(m, nn.Linear)] == [120, 84, 10]
    assert sum(isinstance(m, nn.MaxPool2d) for m in model.modules()) == 2


def test_feature_maps_gives_each_stage_with_its_shape_and_no_gradient():
    torch.manual_seed(0)
    model = LeNet(channels=(4, 12))
    maps = feature_maps(model, torch.randn(3, 1, 28, 28))
    assert [(name, tuple(t.shape)) for name, t in maps] == [
        ("conv1", (3, 4, 28, 28)), ("pool1", (3, 4, 14, 14)), ("conv2", (3, 12, 10, 10)), ("pool2", (3, 12, 5, 5))]
    assert not any(t.requires_grad for _, t in maps)
    assert all((t >= 0).all() for _, t in maps)  # the conv stages are after their ReLU, pooling keeps the sign


def test_feature_maps_are_the_stages_the_forward_pass_uses():
    torch.manual_seed(1)
    model = LeNet().eval()
    x = torch.randn(2, 1, 28, 28)
    maps = dict(feature_maps(model, x))
    by_hand = model.pool1(torch.relu(model.conv1(x)))
    assert torch.equal(maps["pool1"], by_hand)
    h = torch.relu(model.fc2(torch.relu(model.fc1(maps["pool2"].flatten(1)))))
    assert torch.allclose(model.fc3(h), model(x), rtol=1e-6, atol=1e-6)


def test_feature_maps_accepts_one_numpy_image_and_switches_to_evaluation_mode():
    model = LeNet().train()
    maps = feature_maps(model, np.zeros((1, 28, 28)))
    assert maps[0][1].shape == (1, 6, 28, 28) and not model.training


@pytest.mark.parametrize("x, message", [
    (torch.zeros(28, 28), r"LeNet expects x of shape \(N, 1, 28, 28\); got shape \(28, 28\); reshape it with "
                          r"x.reshape\(-1, 1, 28, 28\)"),
    (torch.zeros(4, 784), r"got shape \(4, 784\); reshape it .*shape='image'"),
    (torch.zeros(2, 3, 28, 28), r"LeNet expects x of shape \(N, 1, 28, 28\); got shape \(2, 3, 28, 28\)\.$"),
    (torch.zeros(2, 1, 32, 32), r"got shape \(2, 1, 32, 32\)\.$"),
])
def test_wrong_input_shape_is_refused_with_a_sentence(x, message):
    with pytest.raises(ValueError, match=message):
        LeNet()(x)


def test_numpy_input_to_forward_is_refused_with_a_type_error():
    with pytest.raises(TypeError, match=r"LeNet expects x to be a float tensor of shape \(N, 1, 28, 28\); got ndarray"):
        LeNet()(np.zeros((2, 1, 28, 28), dtype=np.float32))


@pytest.mark.parametrize("kwargs, message", [
    ({"in_channels": 0}, r"LeNet expects in_channels to be a positive integer; got 0\."),
    ({"channels": (6,)}, r"LeNet expects channels to be a pair of positive integers such as \(6, 16\); got \(6,\)\."),
    ({"hidden": (120, 84, 10)}, r"hidden to be a pair of positive integers such as \(120, 84\); got \(120, 84, 10\)"),
    ({"hidden": (120, -1)}, r"LeNet expects each entry of hidden to be a positive integer; got -1\."),
])
def test_bad_sizes_are_refused_with_a_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        LeNet(**kwargs)


@pytest.mark.parametrize("kwargs, message", [
    ({"num_classes": 2.5}, r"LeNet expects num_classes to be a positive integer; got 2\.5\."),
    ({"in_channels": "1"}, r"LeNet expects in_channels to be a positive integer; got '1'\."),
    ({"channels": "6, 16"}, r"LeNet expects channels to be a tuple of layer widths such as \(6, 16\); got '6, 16'\."),
    ({"hidden": (120.0, 84)}, r"LeNet expects each entry of hidden to be a positive integer; got 120\.0\."),
])
def test_sizes_of_the_wrong_type_are_refused_with_a_type_error(kwargs, message):
    with pytest.raises(TypeError, match=message):
        LeNet(**kwargs)


def test_feature_maps_refuses_other_models_and_bad_inputs():
    with pytest.raises(TypeError, match="feature_maps expects model to be a dlcourse.models.LeNet; got Sequential"):
        feature_maps(nn.Sequential(nn.Conv2d(1, 2, 3)), torch.zeros(1, 1, 28, 28))
    with pytest.raises(ValueError, match=r"LeNet expects x of shape \(N, 1, 28, 28\); got shape \(1, 1, 20, 20\)"):
        feature_maps(LeNet(), torch.zeros(1, 1, 20, 20))


@one_thread()  # a tiny network: extra threads only add overhead, and on a busy machine a lot of it
def test_lenet_learns_a_toy_task_with_fit():
    # two classes told apart by where the bright square is: a convolution's job
    torch.manual_seed(0)
    X = torch.zeros(64, 1, 28, 28)
    y = torch.arange(64) % 2
    for i in range(64):
        row, col = (4, 4) if y[i] == 0 else (18, 18)
        X[i, 0, row:row + 6, col:col + 6] = 1.0
    model = LeNet(num_classes=2)
    history = fit(model, X, y, epochs=5, batch_size=16, lr=3e-3, live=False, progress=False)
    assert history["accuracy"][-1] == 1.0
