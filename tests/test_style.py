"""dlcourse.models.style: Gram matrix, content/style/total-variation losses, the feature extractors
(random multi-scale CNN, VGG19 from a Keras weights file) and the pixel optimisation."""
import re

import numpy as np
import pytest
import torch

from dlcourse.config import one_thread
from dlcourse.models.style import (FeatureExtractor, content_loss, gram_matrix, style_loss, total_variation,
                                   transfer_style)

VGG19_CONVS = [("block1_conv1", 3, 64), ("block1_conv2", 64, 64), ("block2_conv1", 64, 128),
               ("block2_conv2", 128, 128), ("block3_conv1", 128, 256), ("block3_conv2", 256, 256),
               ("block3_conv3", 256, 256), ("block3_conv4", 256, 256), ("block4_conv1", 256, 512),
               ("block4_conv2", 512, 512), ("block4_conv3", 512, 512), ("block4_conv4", 512, 512),
               ("block5_conv1", 512, 512), ("block5_conv2", 512, 512), ("block5_conv3", 512, 512),
               ("block5_conv4", 512, 512)]


@pytest.fixture(autouse=True)
def _one_thread():
    with one_thread():
        yield


def _images(size=48, seed=0):
    rng = np.random.default_rng(seed)
    content = rng.random((size, size, 3), dtype=np.float32)
    stripes = (0.5 + 0.5 * np.sin(np.arange(size) / 2.0))[None, :].repeat(size, 0)  # a style with structure
    style = np.stack([stripes, np.full((size, size), 0.3), 1 - stripes], axis=-1).astype(np.float32)
    return content, style


def _write_keras_vgg19(path, seed=0, keras_names=False):
    """A fake vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5: random kernels in Keras layout
    (kh, kw, C_in, C_out), stored as the original file does. Returns {layer: (kernel, bias)}."""
    h5py = pytest.importorskip("h5py")
    rng = np.random.default_rng(seed)
    arrays = {}
    with h5py.File(path, "w") as file:
        file.attrs["layer_names"] = [b"input_1"] + [name.encode() for name, _, _ in VGG19_CONVS]
        file.create_group("input_1").attrs["weight_names"] = []
        for name, c_in, c_out in VGG19_CONVS:
            kernel = rng.normal(0, (2 / (9 * c_in)) ** 0.5, (3, 3, c_in, c_out)).astype(np.float32)
            bias = rng.normal(0, 0.1, c_out).astype(np.float32)
            group = file.create_group(name)
            names = [f"{name}/kernel:0", f"{name}/bias:0"] if keras_names else [f"{name}_W_1:0", f"{name}_b_1:0"]
            group.attrs["weight_names"] = [n.encode() for n in names]
            group[names[0]], group[names[1]] = kernel, bias
            arrays[name] = (kernel, bias)
    return arrays


# ------------------------------------------------------------------ Gram matrix
def test_gram_matrix_equals_F_times_F_transposed():
    torch.manual_seed(0)
    F_l = torch.randn(6, 20)
    G = gram_matrix(F_l)
    assert G.shape == (6, 6)
    assert torch.allclose(G, F_l @ F_l.T)
    assert torch.allclose(G[1, 4], (F_l[1] * F_l[4]).sum())  # G_ij = sum_k F_ik F_jk


def test_gram_matrix_is_symmetric_and_positive_semidefinite():
    torch.manual_seed(1)
    G = gram_matrix(torch.randn(8, 5, dtype=torch.float64))  # rank 5 < 8: some eigenvalues are zero
    assert torch.allclose(G, G.T, rtol=0, atol=1e-12)  # up to rounding in the matrix product
    assert torch.linalg.eigvalsh(G).min() > -1e-10


def test_gram_matrix_flattens_feature_maps_and_forgets_positions():
    torch.manual_seed(2)
    maps = torch.randn(1, 4, 3, 5)
    expected = gram_matrix(maps.reshape(4, 15))
    assert torch.allclose(gram_matrix(maps), expected)
    assert torch.allclose(gram_matrix(maps[0]), expected)
    shuffled = maps.reshape(4, 15)[:, torch.randperm(15)]  # the same features at other positions
    assert torch.allclose(gram_matrix(shuffled), expected, atol=1e-6)


def test_gram_matrix_accepts_numpy_features():
    F_l = np.array([[1.0, 2.0], [0.0, 3.0]])
    assert np.allclose(gram_matrix(F_l).numpy(), [[5.0, 6.0], [6.0, 9.0]])


# ------------------------------------------------------------------ content loss
def test_content_loss_by_hand():
    F_l = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    P_l = torch.tensor([[0.0, 2.0], [1.0, 1.0]])
    assert content_loss(F_l, P_l).item() == pytest.approx(0.5 * (1 + 0 + 4 + 9))


def test_content_loss_gradient_is_F_minus_P():
    torch.manual_seed(3)
    F_l = torch.randn(5, 7, requires_grad=True)
    P_l = torch.randn(5, 7)
    content_loss(F_l, P_l).backward()
    assert torch.allclose(F_l.grad, F_l.detach() - P_l)


# ------------------------------------------------------------------ style loss
def test_layer_style_loss_by_hand_has_the_factor_1_over_4_N2_M2():
    F_l = torch.tensor([[1.0, 0.0, 2.0], [0.0, 1.0, 1.0]])  # N_l = 2 channels, M_l = 3 positions
    A_l = torch.tensor([[1.0, 1.0], [1.0, 3.0]])
    G_l = torch.tensor([[5.0, 2.0], [2.0, 2.0]])  # F F^T by hand
    expected = ((G_l - A_l) ** 2).sum().item() / (4 * 2 ** 2 * 3 ** 2)  # (16 + 1 + 1 + 1) / 144
    assert expected == pytest.approx(19 / 144)
    assert style_loss(F_l, A_l).item() == pytest.approx(expected)


def test_layer_style_loss_divides_by_the_square_of_the_number_of_positions():
    # zero columns add positions but leave the Gram matrix unchanged: E_l falls by M_l^2
    torch.manual_seed(4)
    F_l, A_l = torch.randn(3, 4), torch.randn(3, 3)
    padded = torch.cat([F_l, torch.zeros(3, 4)], dim=1)  # M_l: 4 -> 8
    assert style_loss(padded, A_l).item() == pytest.approx(style_loss(F_l, A_l).item() / 4, rel=1e-5)


def test_style_loss_is_zero_for_the_style_features_and_matches_the_formula():
    torch.manual_seed(5)
    F_l = torch.randn(4, 9, dtype=torch.float64)
    assert style_loss(F_l, gram_matrix(F_l)).item() == 0.0
    A_l = torch.randn(4, 4, dtype=torch.float64)
    G_l = F_l @ F_l.T
    assert style_loss(F_l, A_l).item() == pytest.approx(((G_l - A_l) ** 2).sum().item() / (4 * 16 * 81))


def test_style_loss_of_several_layers_is_the_weighted_sum():
    torch.manual_seed(6)
    layers = [torch.randn(3, 10), torch.randn(5, 4)]
    grams = [torch.randn(3, 3), torch.randn(5, 5)]
    E = [style_loss(F_l, A_l).item() for F_l, A_l in zip(layers, grams)]
    assert style_loss(layers, grams, [0.2, 3.0]).item() == pytest.approx(0.2 * E[0] + 3.0 * E[1], rel=1e-6)
    assert style_loss(layers, grams).item() == pytest.approx((E[0] + E[1]) / 2, rel=1e-6)  # w_l = 1/L


def test_style_loss_gradient_matches_the_formula_of_gatys_et_al():
    # dE_l/dF_l = 1/(N_l^2 M_l^2) (G_l - A_l) F_l when A_l is symmetric
    torch.manual_seed(7)
    N_l, M_l = 4, 6
    F_l = torch.randn(N_l, M_l, dtype=torch.float64, requires_grad=True)
    other = torch.randn(N_l, M_l, dtype=torch.float64)
    A_l = other @ other.T
    style_loss(F_l, A_l).backward()
    G_l = F_l.detach() @ F_l.detach().T
    assert torch.allclose(F_l.grad, (G_l - A_l) @ F_l.detach() / (N_l ** 2 * M_l ** 2))


def test_style_loss_accepts_feature_maps_as_the_extractor_returns_them():
    torch.manual_seed(8)
    maps = torch.randn(1, 3, 4, 4)
    A_l = torch.randn(3, 3)
    assert style_loss(maps, A_l).item() == pytest.approx(style_loss(maps.reshape(3, 16), A_l).item())


# ------------------------------------------------------------------ total variation
def test_total_variation_by_hand():
    x = torch.tensor([[0.0, 1.0], [3.0, 5.0]])
    # vertical (3-0)^2 + (5-1)^2 = 25, horizontal (1-0)^2 + (5-3)^2 = 5
    assert total_variation(x).item() == 30.0


def test_total_variation_sums_over_channels_and_is_zero_for_a_flat_image():
    torch.manual_seed(9)
    x = torch.rand(1, 3, 5, 6)
    assert total_variation(x).item() == pytest.approx(sum(total_variation(x[0, c]).item() for c in range(3)))
    assert total_variation(torch.full((1, 3, 5, 6), 0.7)).item() == 0.0


def test_total_variation_gradient_matches_autograd_of_the_written_out_sum():
    torch.manual_seed(10)
    x = torch.rand(2, 4, 5, dtype=torch.float64, requires_grad=True)
    total_variation(x).backward()
    y = x.detach().clone().requires_grad_()
    loops = sum((y[c, i + 1, j] - y[c, i, j]) ** 2 for c in range(2) for i in range(3) for j in range(5)) + \
        sum((y[c, i, j + 1] - y[c, i, j]) ** 2 for c in range(2) for i in range(4) for j in range(4))
    loops.backward()
    assert torch.allclose(x.grad, y.grad)


# ------------------------------------------------------------------ random extractor
def test_random_extractor_returns_five_scales_with_the_documented_shapes():
    extractor = FeatureExtractor()
    features = extractor(torch.rand(2, 3, 64, 48))
    shapes = {name: tuple(f.shape) for name, f in features.items()}
    assert shapes == {"conv1": (2, 48, 64, 48), "conv2": (2, 64, 32, 24), "conv3": (2, 128, 16, 12),
                      "conv4": (2, 128, 8, 6), "conv5": (2, 128, 4, 3)}
    assert all((f >= 0).all() for f in features.values())  # after a ReLU
    assert extractor.content_layers == ["conv3"] and extractor.style_layers == list(shapes)


def test_random_extractor_is_deterministic_and_leaves_the_global_random_state_alone():
    x = torch.rand(1, 3, 32, 32)
    torch.manual_seed(123)
    before = torch.get_rng_state()
    first, second, other = FeatureExtractor(seed=0), FeatureExtractor(seed=0), FeatureExtractor(seed=1)
    assert torch.equal(torch.get_rng_state(), before)
    a, b, c = first(x), second(x), other(x)
    assert all(torch.equal(a[name], b[name]) for name in a)
    assert not torch.allclose(a["conv1"], c["conv1"])


def test_random_extractor_weights_have_he_scale():
    extractor = FeatureExtractor()
    conv = extractor.stages[3]["conv4"][0]  # 3x3, 128 -> 128
    assert conv.weight.std().item() == pytest.approx((2 / (128 * 9)) ** 0.5, rel=0.05)


def test_extractor_is_frozen_but_passes_gradients_to_the_image():
    extractor = FeatureExtractor(layers=["conv2", "conv5"])
    assert not any(p.requires_grad for p in extractor.parameters())
    x = torch.rand(1, 3, 32, 32, requires_grad=True)
    features = extractor(x)
    assert list(features) == ["conv2", "conv5"]
    sum(f.sum() for f in features.values()).backward()
    assert x.grad is not None and x.grad.abs().sum() > 0


def test_extractor_returns_the_layers_asked_for_in_the_call():
    extractor = FeatureExtractor()
    x = torch.rand(1, 3, 32, 32)
    assert list(extractor(x, layers=["conv4", "conv2"])) == ["conv2", "conv4"]
    assert extractor.layers == ["conv1", "conv2", "conv3", "conv4", "conv5"]


def test_extractor_stops_at_the_deepest_requested_layer():
    calls = []
    extractor = FeatureExtractor(layers=["conv1"])
    extractor.stages[1]["conv2"][0].register_forward_hook(lambda *args: calls.append(1))
    extractor(torch.rand(1, 3, 32, 32))
    assert calls == []


# ------------------------------------------------------------------ VGG19
def test_vgg19_without_weights_says_which_file_is_missing_and_where_it_goes(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    with pytest.raises(FileNotFoundError) as error:
        FeatureExtractor("vgg19")
    message = str(error.value)
    assert "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5" in message
    assert str(tmp_path / "keras" / "models") in message
    assert "backbone='random'" in message


def test_vgg19_looks_in_the_home_keras_cache_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(FileNotFoundError, match=re.escape(str(tmp_path / ".keras" / "models"))):
        FeatureExtractor("vgg19")


def test_vgg19_with_a_missing_explicit_file_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.h5"):
        FeatureExtractor("vgg19", weights=tmp_path / "nowhere.h5")


def test_vgg19_layout_has_16_convolutions_and_20_million_weights():
    extractor = FeatureExtractor("vgg19", weights="random")
    assert len(extractor.layer_names) == 16 and extractor.layer_names[-1] == "conv5_4"
    assert sum(p.numel() for p in extractor.parameters()) == 20_024_384  # Keras' VGG19(include_top=False)
    features = extractor(torch.rand(1, 3, 32, 32))
    assert {n: tuple(f.shape) for n, f in features.items()} == {
        "conv1_1": (1, 64, 32, 32), "conv2_1": (1, 128, 16, 16), "conv3_1": (1, 256, 8, 8),
        "conv4_1": (1, 512, 4, 4), "conv4_2": (1, 512, 4, 4), "conv5_1": (1, 512, 2, 2)}


@pytest.mark.parametrize("keras_names", [False, True], ids=["original file names", "keras 3 names"])
def test_vgg19_loads_a_keras_file_and_transposes_the_kernels_back_exactly(tmp_path, keras_names):
    path = tmp_path / "fake_vgg19.h5"
    arrays = _write_keras_vgg19(path, keras_names=keras_names)
    extractor = FeatureExtractor("vgg19", weights=path)
    for stage in extractor.stages:
        for name, (conv,) in stage.items():
            block, number = name[4:].split("_")
            kernel, bias = arrays[f"block{block}_conv{number}"]
            # round trip: torch (C_out, C_in, kh, kw) -> Keras (kh, kw, C_in, C_out) gives the file's arrays
            assert np.array_equal(conv.weight.detach().numpy().transpose(2, 3, 1, 0), kernel)
            assert np.array_equal(conv.bias.detach().numpy(), bias)


def test_vgg19_first_layer_applies_the_keras_preprocessing_and_kernel(tmp_path):
    path = tmp_path / "fake_vgg19.h5"
    kernel, bias = _write_keras_vgg19(path)["block1_conv1"]
    extractor = FeatureExtractor("vgg19", weights=path, layers=["conv1_1"])
    torch.manual_seed(11)
    x = torch.rand(1, 3, 32, 32)
    got = extractor(x)["conv1_1"][0, :, 5, 7]  # one interior pixel, all 64 channels
    # by hand, as Keras computes it: BGR in 0..255 minus the means, then a 3x3 cross-correlation
    bgr = x[0].flip(0).permute(1, 2, 0).numpy().astype(np.float64) * 255 - np.array([103.939, 116.779, 123.68])
    patch = bgr[4:7, 6:9, :]  # (3, 3, C_in)
    expected = np.maximum(np.einsum("ijc,ijco->o", patch, kernel) + bias, 0)
    assert np.allclose(got.numpy(), expected, rtol=1e-4, atol=1e-3)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # keras' own, from converting tensors to NumPy
def test_vgg19_features_equal_those_of_keras_vgg19_with_the_same_weights(tmp_path):
    keras = pytest.importorskip("keras")
    legacy = pytest.importorskip("keras.src.legacy.saving.legacy_h5_format")
    h5py = pytest.importorskip("h5py")
    keras.utils.set_random_seed(0)
    model = keras.applications.VGG19(weights=None, include_top=False, input_shape=(32, 32, 3))
    path = tmp_path / "vgg19_from_keras.h5"
    with h5py.File(path, "w") as file:
        legacy.save_weights_to_hdf5_group(file, model)
    extractor = FeatureExtractor("vgg19", weights=path, pooling="max", layers=["conv1_1", "conv3_2", "conv5_1"])
    rng = np.random.default_rng(0)
    image = rng.random((1, 32, 32, 3), dtype=np.float32)
    inputs = keras.applications.vgg19.preprocess_input(image * 255.0)
    ours = extractor(torch.from_numpy(image).permute(0, 3, 1, 2))
    for name, keras_name in (("conv1_1", "block1_conv1"), ("conv3_2", "block3_conv2"), ("conv5_1", "block5_conv1")):
        probe = keras.Model(model.input, model.get_layer(keras_name).output)
        theirs = np.asarray(keras.ops.convert_to_numpy(probe(inputs))).transpose(0, 3, 1, 2)
        scale = np.abs(theirs).max()
        assert np.allclose(ours[name].numpy(), theirs, atol=1e-4 * scale), name


def test_vgg19_rejects_a_file_that_is_not_vgg19(tmp_path):
    h5py = pytest.importorskip("h5py")
    path = tmp_path / "other.h5"
    with h5py.File(path, "w") as file:
        file.create_group("dense_1")
    with pytest.raises(ValueError, match="no layer 'block1_conv1'"):
        FeatureExtractor("vgg19", weights=path)


# ------------------------------------------------------------------ transfer_style
def test_short_transfer_lowers_the_style_loss_and_returns_a_valid_image():
    content, style = _images()
    image, history = transfer_style(content, style, beta=1e8, tv_weight=1.0, steps=40, snapshots=[0, 20, 40],
                                    progress=False)
    assert image.shape == (48, 48, 3) and image.dtype == np.float32
    assert image.min() >= 0 and image.max() <= 1
    assert len(history["style_loss"]) == len(history["content_loss"]) == len(history["loss"]) == 41
    assert history["style_loss"][-1] < 0.1 * history["style_loss"][0]
    assert history["content_loss"][0] == 0.0  # it starts from the content image
    assert sorted(history["snapshots"]) == [0, 20, 40]
    assert np.array_equal(history["snapshots"][0], content)
    assert np.array_equal(history["snapshots"][40], image)


def test_transfer_with_adam_from_noise_lowers_the_total_loss():
    content, style = _images(seed=1)
    image, history = transfer_style(content, style, optimizer="adam", init="noise", beta=1e7, steps=30,
                                    progress=False)
    assert history["loss"][-1] < 0.5 * history["loss"][0]
    assert 0 <= image.min() and image.max() <= 1


def test_transfer_is_repeatable():
    content, style = _images()
    first, _ = transfer_style(content, style, steps=5, progress=False)
    second, _ = transfer_style(content, style, steps=5, progress=False)
    assert np.array_equal(first, second)


@pytest.mark.parametrize("optimizer, step", [("adam", 3), ("lbfgs", 6)])
def test_transfer_recorded_losses_are_those_of_the_stored_image(optimizer, step):
    # Adam clips after every step, so every stored image has the recorded losses; L-BFGS runs
    # unclipped and clips at the end, so its last entry belongs to the returned image
    content, style = _images()
    extractor = FeatureExtractor()
    _, history = transfer_style(content, style, extractor=extractor, beta=1e6, tv_weight=2.0, steps=6,
                                optimizer=optimizer, snapshots=[step], progress=False)
    x = torch.from_numpy(history["snapshots"][step]).permute(2, 0, 1)[None]
    with torch.no_grad():
        F_x, P, S = extractor(x), extractor(torch.from_numpy(content).permute(2, 0, 1)[None]), \
            extractor(torch.from_numpy(style).permute(2, 0, 1)[None])
    names = extractor.style_layers
    L_style = style_loss([F_x[n] for n in names], [gram_matrix(S[n]) for n in names]).item()
    assert history["content_loss"][step] == pytest.approx(content_loss(F_x["conv3"], P["conv3"]).item(), rel=1e-4)
    assert history["style_loss"][step] == pytest.approx(L_style, rel=1e-4)
    assert history["total_variation"][step] == pytest.approx(total_variation(x).item(), rel=1e-4)
    assert history["loss"][step] == pytest.approx(history["content_loss"][step] + 1e6 * history["style_loss"][step]
                                                  + 2.0 * history["total_variation"][step], rel=1e-5)


def test_transfer_accepts_grey_and_tensor_images_and_leaves_the_extractor_layers_alone():
    content, style = _images()
    extractor = FeatureExtractor(layers=["conv1"])
    image, _ = transfer_style(torch.from_numpy(content).permute(2, 0, 1)[None], style.mean(axis=2),
                              extractor=extractor, steps=2, style_layers=["conv1", "conv2"], style_weights=[1, 0.5],
                              progress=False)
    assert image.shape == (48, 48, 3)
    assert extractor.layers == ["conv1"]


# ------------------------------------------------------------------ bad inputs
@pytest.mark.parametrize("kwargs, match", [
    (dict(optimizer="sgd"), "transfer_style expects optimizer to be one of 'lbfgs', 'adam'; got 'sgd'."),
    (dict(init="zeros"), "transfer_style expects init to be one of 'content', 'noise'; got 'zeros'."),
    (dict(alpha=-1.0), "transfer_style expects alpha to be a non-negative number; got -1.0."),
    (dict(beta=float("nan")), "beta to be a non-negative number"),
    (dict(steps=0), "transfer_style expects steps to be a positive integer; got 0."),
    (dict(lr=0.0), "transfer_style expects lr to be a positive number; got 0.0."),
    (dict(style_layers=["conv9"]), "has layers conv1, conv2, conv3, conv4, conv5; style_layers got"),
    (dict(style_weights=[1.0, 2.0]), "style_weights to be 5 non-negative numbers"),
    (dict(style_weights=[1.0, 2.0, -1.0, 0.0, 0.0]), "style_weights to be 5 non-negative numbers, one per style "
                                                     "layer; got -1.0."),
    (dict(snapshots=[0, 99]), "snapshots to be step numbers between 0 and steps = 3; got 99."),
    (dict(seed=-1), "transfer_style expects seed to be a non-negative integer; got -1."),
])
def test_transfer_raises_value_error_for_a_disallowed_setting(kwargs, match):
    content, style = _images()
    with pytest.raises(ValueError, match=re.escape(match)):
        transfer_style(content, style, steps=kwargs.pop("steps", 3), progress=False, **kwargs)


@pytest.mark.parametrize("kwargs, match", [
    (dict(extractor="vgg19"), "transfer_style expects extractor to be a FeatureExtractor; got str."),
    (dict(steps="3"), "transfer_style expects steps to be a positive integer; got '3'."),
    (dict(alpha="1"), "transfer_style expects alpha to be a non-negative number; got '1'."),
    (dict(style_weights=0.2), "style_weights to be 5 non-negative numbers, one per style layer; got 0.2."),
    (dict(snapshots=[0, 1.5]), "snapshots to be step numbers between 0 and steps = 3; got 1.5."),
])
def test_transfer_raises_type_error_for_a_setting_of_the_wrong_type(kwargs, match):
    content, style = _images()
    with pytest.raises(TypeError, match=re.escape(match)):
        transfer_style(content, style, steps=kwargs.pop("steps", 3), progress=False, **kwargs)


def test_transfer_rejects_images_of_different_sizes():
    content, _ = _images(48)
    _, style = _images(64)
    with pytest.raises(ValueError, match=r"same size .* got \(48, 48\) and \(64, 64\)"):
        transfer_style(content, style, steps=1, progress=False)


def test_transfer_rejects_8_bit_images_and_tiny_images():
    content, style = _images()
    with pytest.raises(ValueError, match="divide it by 255"):
        transfer_style(content * 255, style, steps=1, progress=False)
    with pytest.raises(TypeError, match="as floats in"):
        transfer_style((content * 255).astype(np.uint8), style, steps=1, progress=False)
    with pytest.raises(ValueError, match="at least 32 x 32"):
        transfer_style(content[:16, :16], style[:16, :16], steps=1, progress=False)
    with pytest.raises(ValueError, match=r"\(H, W, 3\), \(H, W\) or \(1, 3, H, W\)"):
        transfer_style(content[:, :, :2], style[:, :, :2], steps=1, progress=False)


def test_extractor_rejects_bad_arguments_and_inputs():
    with pytest.raises(ValueError, match="backbone to be one of 'random', 'vgg19'; got 'resnet50'"):
        FeatureExtractor("resnet50")
    with pytest.raises(ValueError, match="pooling to be one of 'avg', 'max'; got 'min'"):
        FeatureExtractor(pooling="min")
    with pytest.raises(TypeError, match="seed to be a non-negative integer; got '0'"):
        FeatureExtractor(seed="0")
    with pytest.raises(ValueError, match="leave weights=None"):
        FeatureExtractor(weights="file.h5")
    with pytest.raises(ValueError, match="layers got"):
        FeatureExtractor(layers=["conv4_2"])
    with pytest.raises(ValueError, match=r"\(N, 3, H, W\)"):
        FeatureExtractor()(torch.rand(3, 32, 32))
    with pytest.raises(TypeError, match=r"x to be a tensor of shape \(N, 3, H, W\).*got ndarray"):
        FeatureExtractor()(np.zeros((1, 3, 32, 32), dtype=np.float32))
    with pytest.raises(ValueError, match="at least 32 x 32"):
        FeatureExtractor()(torch.rand(1, 3, 16, 16))


def test_losses_reject_bad_inputs():
    with pytest.raises(ValueError, match="same shape"):
        content_loss(torch.zeros(2, 3), torch.zeros(3, 2))
    with pytest.raises(ValueError, match=r"\(N_l, M_l\), \(N_l, H, W\) or \(1, N_l, H, W\)"):
        gram_matrix(torch.zeros(5))
    with pytest.raises(ValueError, match=r"\(N_l, M_l\)"):
        gram_matrix(torch.zeros(2, 3, 4, 4))  # a batch of two images has no single Gram matrix
    with pytest.raises(TypeError, match="float tensor"):
        gram_matrix([[1.0, 2.0]])
    with pytest.raises(ValueError, match=r"\(N_l, N_l\) = \(2, 2\)"):
        style_loss(torch.zeros(2, 4), torch.zeros(3, 3))
    with pytest.raises(ValueError, match="one style Gram matrix per layer"):
        style_loss([torch.zeros(2, 4)], [torch.zeros(2, 2), torch.zeros(2, 2)])
    with pytest.raises(ValueError, match="weights to be 1 non-negative numbers"):
        style_loss([torch.zeros(2, 4)], [torch.zeros(2, 2)], weights=[-1.0])
    with pytest.raises(ValueError, match="rows and columns"):
        total_variation(torch.zeros(5))
