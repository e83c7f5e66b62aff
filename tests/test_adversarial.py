"""FGSM and PGD move the input the way their equations say, stay inside the eps-ball and the
pixel range, leave the model's parameters and mode alone; adversarial training makes a model
robust to the attack it trains on; wrong arguments are refused by the one rule."""
import numpy as np
import pytest
import torch
from torch import nn
from torch.nn import functional as F

from dlcourse.config import one_thread
from dlcourse.models.adversarial import fgsm, pgd, robust_accuracy, train_adversarial


def _linear_model():
    """A 3-pixel, 2-class linear model with weights chosen by hand: logits = W x + b."""
    model = nn.Linear(3, 2)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[1.0, -2.0, 0.5], [-1.0, 1.0, 2.0]]))
        model.bias.copy_(torch.tensor([0.1, -0.1]))
    return model


def _small_cnn(seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(1, 3, 3), nn.ReLU(), nn.Flatten(), nn.Linear(3 * 6 * 6, 4))


def _images(n=6, seed=0):
    generator = torch.Generator().manual_seed(seed)
    return torch.rand(n, 1, 8, 8, generator=generator), torch.randint(0, 4, (n,), generator=generator)


def test_fgsm_equals_a_hand_computation_on_a_linear_model():
    model = _linear_model()
    x = torch.tensor([[0.5, 0.5, 0.5], [0.0, 1.0, 0.3]])
    y = torch.tensor([0, 1])
    # cross-entropy of softmax(Wx + b): grad_x = W^T (softmax - onehot) / N (the mean over N = 2)
    W = model.weight.detach()
    p = torch.softmax(x @ W.T + model.bias.detach(), dim=1)
    gradient = (p - F.one_hot(y, 2).float()) @ W / 2
    expected = (x + 0.1 * gradient.sign()).clamp(0, 1)
    assert torch.equal(fgsm(model, x, y, eps=0.1), expected)
    # by hand for the first row: p - onehot = (p0 - 1, p1) with p1 > 0, so the gradient is
    # (1 - p0) * (-w0 + w1) = (1 - p0) * (-2, 3, 1.5): signs (-, +, +)
    assert torch.allclose(fgsm(model, x, y, eps=0.1)[0], torch.tensor([0.4, 0.6, 0.6]))


def test_fgsm_perturbation_stays_within_eps_and_the_pixel_range():
    torch.manual_seed(0)
    model, (x, y) = nn.Sequential(nn.Flatten(), nn.Linear(64, 4)), _images(20)  # no pixel has a zero gradient
    x_adv = fgsm(model, x, y, eps=0.3)
    assert (x_adv - x).abs().max() <= 0.3 + 1e-6
    assert x_adv.min() >= 0 and x_adv.max() <= 1
    inside = (x > 0.3) & (x < 0.7)  # no clipping there: every pixel moved by exactly eps
    assert torch.allclose((x_adv - x).abs()[inside], torch.tensor(0.3))


def test_pgd_with_one_step_of_size_eps_and_no_random_start_is_fgsm():
    model, (x, y) = _small_cnn(1), _images(10, seed=1)
    assert torch.equal(pgd(model, x, y, eps=0.2, alpha=0.2, steps=1, random_start=False), fgsm(model, x, y, eps=0.2))


@pytest.mark.parametrize("random_start", [True, False])
def test_pgd_stays_in_the_eps_ball_and_the_pixel_range(random_start):
    model, (x, y) = _small_cnn(2), _images(10, seed=2)
    x_adv = pgd(model, x, y, eps=0.1, alpha=0.07, steps=5, random_start=random_start,
                generator=torch.Generator().manual_seed(0))
    assert (x_adv - x).abs().max() <= 0.1 + 1e-6
    assert x_adv.min() >= 0 and x_adv.max() <= 1
    assert not x_adv.requires_grad


def test_pgd_random_start_repeats_with_the_same_generator_seed():
    model, (x, y) = _small_cnn(3), _images(5, seed=3)
    runs = [pgd(model, x, y, 0.1, 0.03, 3, generator=torch.Generator().manual_seed(7)) for _ in range(2)]
    assert torch.equal(*runs)


def test_pgd_raises_the_loss_at_least_as_much_as_fgsm_on_a_linear_model():
    # for a linear model FGSM's one step is already the worst case in the box, so PGD ties it
    model = _linear_model()
    x, y = torch.full((4, 3), 0.5), torch.tensor([0, 1, 0, 1])
    loss_fgsm = F.cross_entropy(model(fgsm(model, x, y, 0.2)), y)
    loss_pgd = F.cross_entropy(model(pgd(model, x, y, 0.2, 0.05, 10, random_start=False)), y)
    assert loss_pgd >= loss_fgsm - 1e-6


@pytest.mark.parametrize("attack", ["fgsm", "pgd"])
@pytest.mark.parametrize("mode", [True, False])
def test_attacks_leave_parameter_gradients_untouched_and_restore_the_mode(attack, mode):
    model, (x, y) = _small_cnn(4), _images(6, seed=4)
    model.train(mode)
    F.cross_entropy(model(x), y).backward()  # some gradient a training step left behind
    before = [p.grad.clone() for p in model.parameters()]
    options = {"eps": 0.1} if attack == "fgsm" else {"eps": 0.1, "alpha": 0.05, "steps": 2}
    (fgsm if attack == "fgsm" else pgd)(model, x, y, **options)
    robust_accuracy(model, x, y, attack, **options)
    assert all(torch.equal(p.grad, g) for p, g in zip(model.parameters(), before))
    assert model.training is mode
    fresh = _small_cnn(4)
    fgsm(fresh, x, y, 0.1)
    assert all(p.grad is None for p in fresh.parameters())


def test_attacks_use_evaluation_mode():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Dropout(0.5), nn.Linear(64, 4)).train()
    x, y = _images(8, seed=5)
    # dropout off while attacking: the same input gives the same adversarial example twice
    assert torch.equal(fgsm(model, x, y, 0.1), fgsm(model, x, y, 0.1))


def test_robust_accuracy_without_attack_is_the_clean_accuracy_and_batches_do_not_matter():
    model, (x, y) = _small_cnn(5), _images(30, seed=6)
    clean = (model(x).argmax(1) == y).float().mean().item()
    assert robust_accuracy(model, x, y) == pytest.approx(clean)
    assert robust_accuracy(model, x, y, "fgsm", eps=0.1, batch_size=7) == robust_accuracy(model, x, y, "fgsm", eps=0.1)
    by_hand = (model(fgsm(model, x, y, 0.1)).argmax(1) == y).float().mean().item()
    assert robust_accuracy(model, x.numpy(), y.numpy(), "fgsm", eps=0.1) == pytest.approx(by_hand)
    assert robust_accuracy(model, x, y, lambda m, a, b, eps: a, eps=0.5) == pytest.approx(clean)


def test_adversarial_training_makes_a_linear_model_robust_to_fgsm_where_clean_training_does_not():
    # two classes 0.3 apart along the first pixel; the second pixel is about 0.5 for both, and a
    # clean fit leans on it as a bias, which FGSM's step on that pixel exploits
    generator = torch.Generator().manual_seed(0)
    y = torch.randint(0, 2, (400,), generator=generator)
    x = (0.5 + 0.15 * (2 * y.float() - 1)[:, None] * torch.tensor([1.0, 0.0])
         + 0.01 * torch.randn(400, 2, generator=generator)).clamp(0, 1)
    robust = {}
    for clean_weight in (1.0, 0.0):  # clean training (the attack's loss unused), then Madry's
        with one_thread():
            torch.manual_seed(0)
            model = nn.Linear(2, 2)
            history = train_adversarial(model, x, y, epochs=15, eps=0.1, clean_weight=clean_weight, lr=0.5,
                                        batch_size=32, live=False, progress=False)
        robust[clean_weight] = robust_accuracy(model, x, y, "fgsm", eps=0.1)
        assert robust_accuracy(model, x, y) == 1.0 and not model.training
    assert set(history) == {"clean_loss", "adversarial_loss"} and len(history["clean_loss"]) == 15
    assert history["adversarial_loss"][-1] < history["adversarial_loss"][0]
    assert robust[0.0] >= 0.95 and robust[1.0] <= 0.9


def test_adversarial_training_with_pgd_runs_and_repeats_with_the_seed():
    x, y = _images(16, seed=7)
    weights = []
    for _ in range(2):
        model = _small_cnn(6)
        train_adversarial(model, x, y, epochs=2, eps=0.1, attack="pgd", steps=2, seed=3, batch_size=8,
                          live=False, progress=False)
        weights.append(torch.cat([p.detach().flatten() for p in model.parameters()]))
    assert torch.equal(*weights)


@pytest.mark.parametrize("call, error, message", [
    (lambda m, x, y: fgsm("model", x, y, 0.1), TypeError, "fgsm expects model to be a torch.nn.Module; got str"),
    (lambda m, x, y: fgsm(m, x, y, -0.1), ValueError, "fgsm expects eps to be a non-negative number; got -0.1"),
    (lambda m, x, y: fgsm(m, x, y, "0.1"), TypeError, "fgsm expects eps to be a non-negative number"),
    (lambda m, x, y: fgsm(m, x, y[:3], 0.1), ValueError, r"fgsm expects y to be 6 integer class labels"),
    (lambda m, x, y: pgd(m, x, y, 0.1, 0.0, 3), ValueError, "pgd expects alpha to be a positive number; got 0.0"),
    (lambda m, x, y: pgd(m, x, y, 0.1, 0.05, 0), ValueError, "pgd expects steps to be a positive integer; got 0"),
    (lambda m, x, y: pgd(m, x, y, 0.1, 0.05, 2.5), TypeError, "pgd expects steps to be a positive integer"),
    (lambda m, x, y: pgd(m, x, y, 0.1, 0.05, 2, random_start=1), TypeError, "random_start to be True or False"),
    (lambda m, x, y: pgd(m, x, y, 0.1, 0.05, 2, generator=0), TypeError, "generator to be a torch.Generator"),
    (lambda m, x, y: robust_accuracy(m, x, y, "deepfool"), ValueError, "attack to be one of 'fgsm', 'pgd'"),
    (lambda m, x, y: robust_accuracy(m, x, y, 3), TypeError, "robust_accuracy expects attack to be None"),
    (lambda m, x, y: train_adversarial(m, x, y, epochs=0, eps=0.1), ValueError, "epochs to be a positive integer"),
    (lambda m, x, y: train_adversarial(m, x, y, epochs=1, eps=0.1, clean_weight=1.5), ValueError,
     r"clean_weight to be a number in \[0, 1\]"),
    (lambda m, x, y: train_adversarial(m, x, y, epochs=1, eps=0.1, attack="cw"), ValueError, "attack to be one of"),
])
def test_wrong_arguments_are_refused_by_the_rule(call, error, message):
    model, (x, y) = _small_cnn(), _images(6)
    with pytest.raises(error, match=message):
        call(model, x, y)


def test_numpy_inputs_are_accepted_and_the_result_is_a_tensor():
    model, (x, y) = _small_cnn(), _images(4)
    x_adv = fgsm(model, x.numpy().astype(np.float64), y.numpy(), 0.1)
    assert isinstance(x_adv, torch.Tensor) and x_adv.dtype == torch.float32
    assert torch.allclose(x_adv, fgsm(model, x, y, 0.1))
