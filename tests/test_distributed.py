"""Distributed training on local processes: data parallelism equals one big batch, model
parallelism equals one network, and failures come back as one error naming the rank."""
import os
import time

import numpy as np
import pytest
import torch

from dlcourse import distributed as D

WIDTHS = (3, 16, 16, 16, 2)


def _data(n=24, seed=0):
    generator = np.random.default_rng(seed)
    return (generator.normal(size=(n, WIDTHS[0])).astype(np.float32),
            generator.normal(size=(n, WIDTHS[-1])).astype(np.float32))


# Workers must be importable by name in the spawned processes: module level, not local.
# Tests that start processes are marked slow, except three quick ones that pin the core behaviours
# (the first of them pays about 2 s to start the fork server).
def _raise_in_rank_one(rank, world_size):
    if rank == 1:
        raise ValueError("boom in the worker")
    torch.distributed.barrier()  # rank 0 would wait here for ever without the parent's clean-up
    return rank


def _exit_in_rank_zero(rank, world_size):
    if rank == 0:
        os._exit(3)
    return rank


def _exit_in_rank_zero_and_fail_in_rank_one(rank, world_size):
    if rank == 0:
        os._exit(3)
    raise ConnectionResetError("Connection reset by peer")  # what a peer's death looks like from here


def _sleep(rank, world_size, seconds):
    time.sleep(seconds)
    return rank


def _rank_and_size(rank, world_size):
    return rank, world_size, torch.distributed.get_world_size()


@pytest.mark.slow
def test_run_on_ranks_returns_each_ranks_result_in_rank_order():
    assert D.run_on_ranks(_rank_and_size, 3) == [(0, 3, 3), (1, 3, 3), (2, 3, 3)]


def test_an_exception_in_one_rank_surfaces_as_one_error_naming_that_rank():
    start = time.monotonic()
    with pytest.raises(D.RankError, match=r"rank 1 failed: ValueError: boom in the worker"):
        D.run_on_ranks(_raise_in_rank_one, 2, timeout=60)
    assert time.monotonic() - start < 30, "the other rank was left waiting at its barrier"


@pytest.mark.slow
def test_a_rank_that_dies_without_a_result_is_named():
    with pytest.raises(D.RankError, match=r"rank 0 died with exit code 3"):
        D.run_on_ranks(_exit_in_rank_zero, 2, timeout=60)


def test_a_peers_death_is_named_as_the_cause_of_a_reset_connection():
    # the failure of rank 1 reaches the parent first; the death of rank 0 explains it
    with pytest.raises(D.RankError, match=r"rank 0 died with exit code 3 .*rank 1 then failed: ConnectionResetError"):
        D.run_on_ranks(_exit_in_rank_zero_and_fail_in_rank_one, 2, timeout=60)


@pytest.mark.slow
def test_a_rank_that_never_returns_raises_timeout_and_is_stopped():
    start = time.monotonic()
    with pytest.raises(TimeoutError, match=r"ranks \[0, 1\]"):
        D.run_on_ranks(_sleep, 2, 600, timeout=3)
    assert time.monotonic() - start < 30


def test_run_on_ranks_refuses_a_function_the_processes_cannot_import():
    def local(rank, world_size):
        return rank

    with pytest.raises(ValueError, match="importable module"):
        D.run_on_ranks(local, 2)
    with pytest.raises(TypeError, match="run_on_ranks expects fn"):
        D.run_on_ranks("ddp_sgd_worker", 2)
    with pytest.raises(ValueError, match="world_size"):
        D.run_on_ranks(_sleep, 0)


@pytest.mark.slow
def test_ddp_on_two_ranks_with_half_batches_matches_one_process_on_the_full_batch():
    x, y = _data()
    ranks = D.run_on_ranks(D.ddp_sgd_worker, 2, x, y, WIDTHS, 4, 0.1, 0)
    single = D.single_process_sgd(x, y, WIDTHS, steps=4, lr=0.1, seed=0)
    for result in ranks:
        for name, weight in single["weights"].items():
            np.testing.assert_allclose(result["weights"][name], weight, rtol=0, atol=1e-6)
    # the mean of the two half-batch losses is the full-batch loss (equal halves)
    np.testing.assert_allclose(np.mean([r["losses"] for r in ranks], axis=0), single["losses"], rtol=1e-5)
    assert single["losses"][-1] < single["losses"][0]


def _single_process_gradients(x, y):
    model = D.make_mlp(WIDTHS, 0)
    output = model(torch.as_tensor(x))
    torch.nn.functional.mse_loss(output, torch.as_tensor(y)).backward()
    return output.detach().numpy(), {name: p.grad.numpy() for name, p in model.named_parameters()}


def _by_global_name(ranks, world_size):
    """Stage-local parameter names ('0.weight' on rank 1) -> names in the whole Sequential."""
    layers_per_rank = 2 * -(-(len(WIDTHS) - 1) // world_size)
    merged = {}
    for rank, result in enumerate(ranks):
        for name, grad in result["gradients"].items():
            index, kind = name.split(".")
            merged[f"{int(index) + rank * layers_per_rank}.{kind}"] = grad
    return merged


def test_model_parallel_forward_and_gradients_equal_the_single_process_network():
    x, y = _data()
    ranks = D.run_on_ranks(D.model_parallel_worker, 2, x, y, WIDTHS, 0)
    output, gradients = _single_process_gradients(x, y)
    np.testing.assert_allclose(ranks[1]["output"], output, rtol=0, atol=1e-6)
    merged = _by_global_name(ranks, 2)
    assert merged.keys() == gradients.keys()
    for name, grad in gradients.items():
        np.testing.assert_allclose(merged[name], grad, rtol=0, atol=1e-6)


@pytest.mark.slow
def test_pipelined_micro_batches_accumulate_the_full_batch_gradients():
    x, y = _data()
    ranks = D.run_on_ranks(D.pipeline_worker, 2, x, y, WIDTHS, 0, 4, 2)
    _, gradients = _single_process_gradients(x, y)
    merged = _by_global_name(ranks, 2)
    for name, grad in gradients.items():
        np.testing.assert_allclose(merged[name], grad, rtol=0, atol=1e-6)
    assert all(np.all(r["busy"] <= r["seconds"]) for r in ranks)


def test_ring_all_reduce_matches_gloo_and_sends_2_p_minus_1_over_p_of_the_data():
    ranks = D.run_on_ranks(D.ring_all_reduce_worker, 3, 300, 0)
    for result in ranks:
        assert result["max_difference"] < 1e-12
        assert result["elements_sent"] == D.ring_bytes_sent(300, 3) == 400


def test_ring_bytes_sent_tends_to_twice_the_message():
    assert D.ring_bytes_sent(100, 1) == 0
    assert D.ring_bytes_sent(100, 2) == 100
    assert D.ring_bytes_sent(100, 1000) == pytest.approx(199.8)


def test_the_fit_recovers_latency_and_bandwidth_from_synthetic_timings():
    generator = np.random.default_rng(0)
    nbytes = np.logspace(1, 8, 15)
    latency, bandwidth = 50e-6, 2e9
    seconds = (latency + nbytes / bandwidth) * generator.lognormal(0, 0.05, size=nbytes.shape)
    fit = D.fit_latency_bandwidth(nbytes, seconds)
    assert fit["latency"] == pytest.approx(latency, rel=0.1)
    assert fit["bandwidth"] == pytest.approx(bandwidth, rel=0.1)
    assert fit["r2"] > 0.99


def test_the_fit_is_exact_on_noiseless_timings_and_refuses_bad_input():
    nbytes = np.array([1e2, 1e4, 1e6, 1e8])
    fit = D.fit_latency_bandwidth(nbytes, 1e-4 + nbytes / 1e9)
    assert fit["latency"] == pytest.approx(1e-4) and fit["bandwidth"] == pytest.approx(1e9)
    assert fit["r2"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="positive times"):
        D.fit_latency_bandwidth(nbytes, np.array([1.0, 0.0, 1.0, 1.0]))
    with pytest.raises(ValueError, match="shape"):
        D.fit_latency_bandwidth(nbytes, np.ones(3))


def _gpipe_idle_share(p, m):
    """Fill the forward schedule slot by slot: stage k works on micro-batch t - k at slot t."""
    slots = m + p - 1
    busy = sum(1 for k in range(p) for t in range(slots) if 0 <= t - k < m)
    return 1 - busy / (p * slots)


@pytest.mark.parametrize("p, m", [(1, 1), (2, 1), (2, 4), (4, 8), (8, 32)])
def test_bubble_fraction_is_the_idle_share_of_the_gpipe_schedule(p, m):
    assert D.bubble_fraction(p, m) == pytest.approx((p - 1) / (m + p - 1))
    assert D.bubble_fraction(p, m) == pytest.approx(_gpipe_idle_share(p, m))


def test_bubble_fraction_refuses_zero_micro_batches():
    with pytest.raises(ValueError, match="micro_batches"):
        D.bubble_fraction(2, 0)


def test_split_batch_gives_equal_contiguous_blocks():
    x = np.arange(12)
    assert [D.split_batch(x, 3, i).tolist() for i in range(3)] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]


def test_free_port_can_be_bound():
    import socket

    port = D.free_port()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))


def test_delayed_sgd_without_delay_is_full_batch_gradient_descent():
    x, y = _data()
    losses = D.delayed_sgd(x, y, WIDTHS, steps=6, lr=0.1, delay=0, seed=0)
    single = D.single_process_sgd(x, y, WIDTHS, steps=6, lr=0.1, seed=0)
    np.testing.assert_allclose(losses[:6], single["losses"], rtol=1e-5)
    assert losses.shape == (7,)


def test_delayed_sgd_with_a_delay_repeats_the_first_gradient_for_delay_plus_one_steps():
    # theta_1 = theta_0 - lr g(theta_0) and, with delay 1, theta_2 = theta_1 - lr g(theta_0): the loss
    # after two delayed steps is that of two steps along the first gradient.
    x, y = _data()
    losses = D.delayed_sgd(x, y, WIDTHS, steps=2, lr=0.1, delay=1, seed=0)
    model = D.make_mlp(WIDTHS, 0)
    xt, yt = torch.as_tensor(x), torch.as_tensor(y)
    gradients = torch.autograd.grad(torch.nn.functional.mse_loss(model(xt), yt), list(model.parameters()))
    with torch.no_grad():
        for p, g in zip(model.parameters(), gradients):
            p -= 2 * 0.1 * g
        expected = torch.nn.functional.mse_loss(model(xt), yt).item()
    assert losses[2] == pytest.approx(expected, rel=1e-5)


def test_delayed_sgd_refuses_a_negative_delay():
    x, y = _data()
    with pytest.raises(ValueError, match="delay"):
        D.delayed_sgd(x, y, WIDTHS, delay=-1)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["async", "sync"])
def test_parameter_server_counts_every_push_and_sync_is_never_stale(mode):
    x, y = _data(n=30)
    server = D.run_on_ranks(D.parameter_server_worker, 4, x, y, WIDTHS, 10, 0.05, 5, mode, 0)[0]
    assert len(server["staleness"]) == 30
    assert np.all(server["staleness"] >= 0)
    if mode == "sync":
        assert np.all(server["staleness"] == 0) and len(server["losses"]) == 10 + 1
    else:
        assert len(server["losses"]) == 30 + 1 and server["staleness"].max() <= 30
