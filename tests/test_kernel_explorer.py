"""apply_kernel is a cross-correlation with repeated edges (the same numbers as torch and scipy),
the presets are the classic kernels, and the kernel explorer builds, follows its controls and
leaves no matplotlib figure open."""
import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from scipy import ndimage

from dlcourse.widgets import kernel_explorer
from dlcourse.widgets.kernels import KERNEL_PRESETS, apply_kernel, plot_kernel_effect

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _controls(explorer):
    """(preset menu, rescale box, the nine weight boxes, picture), in the layout's order."""
    left, grid = explorer.children[0].children
    menu, rescale = left.children
    return menu, rescale, list(grid.children), explorer.children[1]


def _torch_same(image, kernel):
    """torch's conv2d (a cross-correlation) on the image padded by repeating its edges."""
    kh, kw = kernel.shape
    x = torch.tensor(image, dtype=torch.float64)[None, None]
    x = F.pad(x, (kw // 2, kw // 2, kh // 2, kh // 2), mode="replicate")
    return F.conv2d(x, torch.tensor(kernel, dtype=torch.float64)[None, None])[0, 0].numpy()


# ------------------------------------------------------------------ apply_kernel
@pytest.mark.parametrize("shape", [(3, 3), (5, 3), (1, 7)])
def test_apply_kernel_matches_torch_conv2d_with_replicated_edges(shape):
    rng = np.random.default_rng(0)
    image, kernel = rng.uniform(size=(17, 23)), rng.normal(size=shape)
    np.testing.assert_allclose(apply_kernel(image, kernel), _torch_same(image, kernel), rtol=1e-12, atol=1e-12)


def test_apply_kernel_matches_scipy_correlate_with_nearest_edges():
    rng = np.random.default_rng(1)
    image, kernel = rng.uniform(size=(20, 16)), rng.normal(size=(3, 3))
    np.testing.assert_allclose(apply_kernel(image, kernel), ndimage.correlate(image, kernel, mode="nearest"),
                               rtol=1e-12, atol=1e-12)


def test_apply_kernel_is_a_correlation_not_a_convolution():
    image = np.zeros((5, 5))
    image[2, 2] = 1.0  # an impulse: the output shows the kernel, flipped by a correlation
    kernel = np.arange(9.0).reshape(3, 3)
    np.testing.assert_array_equal(apply_kernel(image, kernel)[1:4, 1:4], kernel[::-1, ::-1])


def test_apply_kernel_filters_each_colour_channel_on_its_own():
    rng = np.random.default_rng(2)
    image, kernel = rng.uniform(size=(12, 10, 3)), KERNEL_PRESETS["sharpen"]
    out = apply_kernel(image, kernel)
    assert out.shape == (12, 10, 3) and out.dtype == np.float64
    for c in range(3):
        np.testing.assert_allclose(out[:, :, c], _torch_same(image[:, :, c], kernel), atol=1e-12)


@pytest.mark.parametrize("name, expected", [("identity", 0.7), ("box blur", 0.7), ("gaussian blur", 0.7),
                                            ("sharpen", 0.7), ("edge detection", 0.0), ("emboss", 0.7),
                                            ("sobel x (vertical edges)", 0.0)])
def test_kernels_summing_to_one_keep_a_flat_image_and_edge_kernels_give_zero(name, expected):
    np.testing.assert_allclose(apply_kernel(np.full((6, 6), 0.7), KERNEL_PRESETS[name]), expected, atol=1e-12)


def test_presets_are_the_classic_kernels():
    assert set(KERNEL_PRESETS) >= {"identity", "gaussian blur", "sharpen", "edge detection"}
    np.testing.assert_array_equal(KERNEL_PRESETS["identity"], [[0, 0, 0], [0, 1, 0], [0, 0, 0]])
    np.testing.assert_allclose(KERNEL_PRESETS["gaussian blur"] * 16, [[1, 2, 1], [2, 4, 2], [1, 2, 1]])
    np.testing.assert_array_equal(KERNEL_PRESETS["sharpen"], [[0, -1, 0], [-1, 5, -1], [0, -1, 0]])
    np.testing.assert_array_equal(KERNEL_PRESETS["edge detection"], [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]])
    np.testing.assert_array_equal(KERNEL_PRESETS["sobel y (horizontal edges)"], KERNEL_PRESETS["sobel x (vertical edges)"].T)
    assert all(kernel.shape == (3, 3) for kernel in KERNEL_PRESETS.values())


def test_identity_preset_returns_the_image():
    image = np.random.default_rng(3).uniform(size=(9, 11))
    np.testing.assert_array_equal(apply_kernel(image, KERNEL_PRESETS["identity"]), image)


@pytest.mark.parametrize("image, kernel, error, message", [
    (np.zeros((4, 4)), np.ones((2, 2)), ValueError, r"kernel of shape \(kh, kw\) with kh and kw odd .*got shape \(2, 2\)"),
    (np.zeros((4, 4)), np.ones(3), ValueError, r"got shape \(3,\)"),
    (np.zeros(16), np.ones((3, 3)), ValueError, r"image of shape \(H, W\) or \(H, W, C\); got shape \(16,\)"),
    ("camera", np.ones((3, 3)), TypeError, r"^apply_kernel expects image to be a NumPy array of numbers; got str\.$"),
])
def test_apply_kernel_refuses_bad_inputs_with_a_sentence(image, kernel, error, message):
    with pytest.raises(error, match=message):
        apply_kernel(image, kernel)


def test_plot_kernel_effect_draws_on_given_axes_and_writes_the_weights():
    figure = Figure()
    axes = figure.subplots(1, 3)
    image = np.random.default_rng(4).uniform(size=(8, 8))
    assert list(plot_kernel_effect(image, KERNEL_PRESETS["sharpen"], axes=axes)) == list(axes)
    assert sorted(t.get_text() for t in axes[1].texts) == sorted(["0", "-1", "0", "-1", "5", "-1", "0", "-1", "0"])
    shown = axes[2].get_images()[0].get_array()
    np.testing.assert_allclose(shown, np.clip(apply_kernel(image, KERNEL_PRESETS["sharpen"]), 0, 1))


# ------------------------------------------------------------------ the explorer
def test_explorer_builds_with_the_camera_picture_and_leaves_pyplot_untouched():
    open_before = plt.get_fignums()
    explorer = kernel_explorer()
    menu, rescale, weights, picture = _controls(explorer)
    assert isinstance(explorer, ipywidgets.VBox) and isinstance(picture, ipywidgets.Image)
    assert bytes(picture.value).startswith(PNG_SIGNATURE) and isinstance(explorer.figure, Figure)
    assert menu.value == "sharpen" and not rescale.value and len(weights) == 9
    np.testing.assert_array_equal(explorer.kernel, KERNEL_PRESETS["sharpen"])
    assert explorer.output.shape == (256, 256)
    assert plt.get_fignums() == open_before


def test_choosing_a_preset_fills_the_weights_and_filters_the_image():
    image = np.random.default_rng(5).uniform(size=(16, 16))
    explorer = kernel_explorer(image)
    menu, _, weights, picture = _controls(explorer)
    before = bytes(picture.value)
    menu.value = "gaussian blur"
    assert [w.value for w in weights] == pytest.approx(KERNEL_PRESETS["gaussian blur"].ravel().tolist())
    np.testing.assert_allclose(explorer.output, _torch_same(image, KERNEL_PRESETS["gaussian blur"]), atol=1e-12)
    assert bytes(picture.value) != before


def test_editing_a_weight_redraws_and_marks_the_kernel_custom():
    image = np.random.default_rng(6).uniform(size=(16, 16))
    explorer = kernel_explorer(image, preset="identity")
    menu, _, weights, _ = _controls(explorer)
    weights[0].value = 1.0  # top-left weight: output = pixel + its upper-left neighbour
    assert menu.value == "custom"
    expected = np.array([[1.0, 0, 0], [0, 1, 0], [0, 0, 0]])
    np.testing.assert_array_equal(explorer.kernel, expected)
    np.testing.assert_allclose(explorer.output, _torch_same(image, expected), atol=1e-12)


def test_rescale_box_shows_the_output_stretched_to_its_range():
    image = np.random.default_rng(7).uniform(size=(16, 16))
    explorer = kernel_explorer(image, preset="edge detection")
    _, rescale, _, _ = _controls(explorer)
    rescale.value = True
    shown = explorer.figure.axes[2].get_images()[0].get_array()
    assert shown.min() == pytest.approx(0.0) and shown.max() == pytest.approx(1.0)
    assert "rescaled" in explorer.figure.axes[2].get_title()


def test_explorer_takes_a_bundled_image_by_name_in_colour():
    explorer = kernel_explorer("astronaut", preset="box blur")
    assert explorer.output.shape == (256, 256, 3)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"preset": "blur"}, ValueError, r"preset to be one of 'identity', 'box blur', .*; got 'blur'\.$"),
    ({"image": np.zeros((4, 4, 2))}, ValueError, r"kernel_explorer expects image of shape \(H, W\) or \(H, W, 3\)"),
    ({"image": "lena"}, ValueError, r"lena"),
    ({"image": [["a"]]}, TypeError, r"^kernel_explorer expects image to be a NumPy array of numbers; got list\.$"),
])
def test_explorer_refuses_bad_settings(kwargs, error, message):
    with pytest.raises(error, match=message):
        kernel_explorer(**kwargs)
