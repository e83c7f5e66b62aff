"""dlcourse.models.gcn: the torch GCN layer against the NumPy reference, the two-layer GCN,
and the semi-supervised training loop."""
import networkx as nx
import numpy as np
import pytest
import torch

import dlcourse
from dlcourse.models.gcn import GCN, GCNLayer, node_accuracy, train_node_classifier
from dlcourse.nn.graphs import gcn_layer, normalized_adjacency


@pytest.fixture
def one_thread():
    """Runs are compared bit for bit; one thread also avoids oversubscribing a busy machine."""
    with dlcourse.config.one_thread():
        yield


@pytest.fixture
def karate():
    G = nx.karate_club_graph()
    A = nx.to_numpy_array(G, nodelist=range(34), weight=None)
    y = np.array([G.nodes[i]["club"] == "Officer" for i in range(34)], dtype=int)
    return normalized_adjacency(A), y


def test_numpy_gcn_layer_equals_the_torch_layer(karate):
    A_hat, _ = karate
    torch.manual_seed(0)
    layer = GCNLayer(5, 3)
    with torch.no_grad():
        layer.bias.normal_()
    H = np.random.default_rng(0).normal(size=(34, 5))
    W, b = layer.weight.detach().double().numpy(), layer.bias.detach().double().numpy()
    got = layer(torch.tensor(A_hat, dtype=torch.float32), torch.tensor(H, dtype=torch.float32))
    np.testing.assert_allclose(got.detach().numpy(), gcn_layer(A_hat, H, W, activation="identity") + b, atol=1e-5)
    got_double = layer.double()(torch.tensor(A_hat), torch.tensor(H))  # in float64 the two agree to rounding
    np.testing.assert_allclose(got_double.detach().numpy(), gcn_layer(A_hat, H, W, activation="identity") + b,
                               atol=1e-12)


def test_gcn_layer_weight_is_W_of_the_equation_with_glorot_scale():
    torch.manual_seed(0)
    layer = GCNLayer(40, 10)
    assert layer.weight.shape == (40, 10) and layer.bias.shape == (10,)
    assert layer.weight.abs().max() <= np.sqrt(6 / 50)
    assert GCNLayer(4, 2, bias=False).bias is None


def test_gcn_logits_and_embedding_have_the_documented_shapes(karate):
    A_hat, _ = karate
    torch.manual_seed(0)
    model = GCN(34, 2, 3, activation="tanh").eval()
    A, X = torch.tensor(A_hat, dtype=torch.float32), torch.eye(34)
    assert model(A, X).shape == (34, 3)
    embedding = model.embed(A, X)
    assert embedding.shape == (34, 2) and embedding.abs().max() <= 1
    # eval mode, no dropout: the GCN is exactly two NumPy layers
    W0, W1 = model.layer1.weight.detach().double().numpy(), model.layer2.weight.detach().double().numpy()
    expected = gcn_layer(A_hat, gcn_layer(A_hat, np.eye(34), W0, activation="tanh"), W1, activation="identity")
    np.testing.assert_allclose(model(A, X).detach().numpy(), expected, atol=1e-5)


def test_a_gcn_only_sees_nodes_within_two_hops():
    A = np.zeros((6, 6))
    for i in range(5):
        A[i, i + 1] = A[i + 1, i] = 1
    torch.manual_seed(0)
    model = GCN(3, 4, 2, dropout=0.0)
    A_hat = torch.tensor(normalized_adjacency(A), dtype=torch.float32)
    X = torch.randn(6, 3)
    X_changed = X.clone()
    X_changed[5] += 10.0  # node 5 is 5 hops from node 0 and 2 hops from node 3
    change = (model(A_hat, X) - model(A_hat, X_changed)).abs().sum(dim=1)
    assert torch.all(change[:3] == 0) and change[3] > 0


def test_training_from_one_label_per_faction_classifies_the_karate_club(karate, one_thread):
    A_hat, y = karate
    train = np.zeros(34, dtype=bool)
    train[[0, 33]] = True
    torch.manual_seed(0)
    model = GCN(34, 2, 2, activation="tanh", dropout=0.0)
    snapshots = []
    history = train_node_classifier(model, A_hat, np.eye(34), y, train, epochs=150, lr=0.01, live=False,
                                    callback=lambda epoch, m: snapshots.append(epoch))
    assert snapshots == list(range(1, 151))
    assert set(history) == {"loss", "train_accuracy", "test_accuracy"} and len(history["loss"]) == 150
    assert history["loss"][-1] < history["loss"][0] and history["train_accuracy"][-1] == 1.0
    assert node_accuracy(model, A_hat, np.eye(34), y, ~train) >= 0.85
    assert model.training  # node_accuracy puts the model back in the mode it found it in


def test_training_is_reproducible_with_one_seed(karate, one_thread):
    A_hat, y = karate
    train = np.zeros(34, dtype=bool)
    train[[0, 33]] = True
    losses = []
    for _ in range(2):
        torch.manual_seed(3)
        model = GCN(34, 4, 2)
        losses.append(train_node_classifier(model, A_hat, np.eye(34), y, train, epochs=5, live=False)["loss"])
    assert losses[0] == losses[1]


def test_arguments_follow_the_validation_rule(karate):
    A_hat, y = karate
    model, X, train = GCN(34, 2, 2), np.eye(34), np.arange(34) < 2
    with pytest.raises(TypeError, match="model"):
        train_node_classifier("gcn", A_hat, X, y, train)
    with pytest.raises(ValueError, match="square"):
        train_node_classifier(model, A_hat[:5], X, y, train)
    with pytest.raises(TypeError, match="mask"):
        train_node_classifier(model, A_hat, X, y, train.astype(int))
    with pytest.raises(TypeError, match="y"):
        train_node_classifier(model, A_hat, X, y.astype(float), train)
    with pytest.raises(ValueError, match="N = 34"):
        train_node_classifier(model, A_hat, X[:10], y, train)
    with pytest.raises(ValueError, match="at least one"):
        train_node_classifier(model, A_hat, X, y, np.zeros(34, dtype=bool))
    with pytest.raises(ValueError, match="epochs"):
        train_node_classifier(model, A_hat, X, y, train, epochs=0)
    with pytest.raises(TypeError, match="callback"):
        train_node_classifier(model, A_hat, X, y, train, callback=3)
    with pytest.raises(ValueError, match="activation"):
        GCN(34, 2, 2, activation="sigmoid")
    with pytest.raises(ValueError, match="hidden"):
        GCN(34, 0, 2)
    with pytest.raises(ValueError, match="GCNLayer"):
        GCNLayer(3, 2)(torch.eye(4), torch.ones(4, 5))
