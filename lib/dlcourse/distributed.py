"""Distributed training on one machine: processes that stand in for machines.

``run_on_ranks(fn, world_size, *args)`` starts ``world_size`` processes, joins them into a
``torch.distributed`` process group (gloo backend, TCP on 127.0.0.1 at a free port) and calls
``fn(rank, world_size, *args)`` in each; it returns the list of their results, ordered by rank.
The same worker functions run unchanged under ``torchrun --nnodes N --nproc-per-node M``
across machines: only the rendezvous (address, port, rank) comes from elsewhere.

Workers live here, not in a notebook, because a spawned process imports the function it runs
by its module name, and a notebook's functions have none.

Parts: data parallelism (DistributedDataParallel against one process on the full batch), a
ring all-reduce written with send/recv, the all-reduce cost model t = latency + bytes/bandwidth,
model parallelism (an MLP cut in two, activations sent forward and gradients backward) with
GPipe micro-batch pipelining, and an asynchronous parameter server on ``torch.distributed.rpc``.
"""
from __future__ import annotations

import os
import pickle
import queue as queue_module
import socket
import time
import traceback
import warnings
from datetime import timedelta

import numpy as np

from ._validation import check_array, check_instance, check_int, check_real

__all__ = ["RankError", "free_port", "run_on_ranks", "make_mlp", "split_batch", "ddp_sgd_worker",
           "single_process_sgd", "ring_all_reduce", "ring_all_reduce_worker", "all_reduce_timing_worker",
           "fit_latency_bandwidth", "ring_bytes_sent", "bubble_fraction", "model_parallel_worker",
           "pipeline_worker", "delayed_sgd", "ParameterServer", "parameter_server_worker"]

ADDRESS = "127.0.0.1"


class RankError(RuntimeError):
    """A worker raised (or died) in one rank; the message names the rank and holds its traceback."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now (the OS picks it when we bind to port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((ADDRESS, 0))
        return probe.getsockname()[1]


def _rank_main(fn, rank, world_size, port, results, timeout, args):
    """Body of every spawned process: join the group, run fn, send back (rank, ok, pickled result)."""
    import torch
    import torch.distributed as dist

    os.environ.update(MASTER_ADDR=ADDRESS, MASTER_PORT=str(port), RANK=str(rank), WORLD_SIZE=str(world_size))
    torch.set_num_threads(1)  # the processes share the machine's cores: one thread each
    try:
        dist.init_process_group("gloo", rank=rank, world_size=world_size, timeout=timedelta(seconds=timeout))
        value = fn(rank, world_size, *args)
        # pickled here, as plain bytes: a tensor put on the queue as it is would be shared through
        # a file descriptor that dies with this process
        results.put((rank, True, pickle.dumps(value)))
    except BaseException as error:  # noqa: BLE001 - every failure must reach the parent as a message
        text = f"{type(error).__name__}: {error}\n{traceback.format_exc()}"
        results.put((rank, False, text))
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()


def _check_run(fn, world_size, timeout):
    check_instance(fn, "fn", "run_on_ranks", type(_check_run), "a function defined in an importable module")
    if fn.__module__ == "__main__" or "<locals>" in fn.__qualname__:
        raise ValueError(f"run_on_ranks expects fn to be a function defined in an importable module; got "
                         f"{fn.__qualname__} from {fn.__module__}: spawned processes cannot import it, "
                         "so put it in a .py file.")
    return check_int(world_size, "world_size", "run_on_ranks", minimum=1), check_real(
        timeout, "timeout", "run_on_ranks", minimum=0, open_minimum=True)


def run_on_ranks(fn, world_size: int, *args, timeout: float = 120.0) -> list:
    """Run ``fn(rank, world_size, *args)`` in ``world_size`` new processes joined by gloo.

    Returns [result of rank 0, result of rank 1, ...]. If a rank raises, the other ranks are
    stopped and one ``RankError`` naming the first failing rank is raised; if no result arrives
    within ``timeout`` seconds, the processes are stopped and ``TimeoutError`` is raised.
    Processes are always joined (and terminated if they linger), never left running.
    """
    import torch.multiprocessing as mp

    world_size, timeout = _check_run(fn, world_size, timeout)
    # forkserver: one server process imports torch once, and every rank is forked from it, so
    # a launch after the first costs a fork, not a fresh interpreter importing torch (seconds)
    context = mp.get_context("forkserver")
    context.set_forkserver_preload(["torch", "torch.distributed", "torch.nn.parallel", __name__])
    results = context.Queue()
    port = free_port()
    processes = [context.Process(target=_rank_main, args=(fn, rank, world_size, port, results, timeout, args),
                                 daemon=True) for rank in range(world_size)]
    for process in processes:
        process.start()
    finished = False
    try:
        values = _collect(processes, results, world_size, time.monotonic() + timeout)
        finished = True
        return values
    finally:
        _stop(processes, grace=10 if finished else 0)
        results.close()


def _stop(processes, grace: float) -> None:
    """Join every process, giving it ``grace`` seconds to leave on its own, then terminate, then kill."""
    for process in processes:
        process.join(timeout=grace)
    for process in processes:
        if process.is_alive():
            process.terminate()
            process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()


def _collect(processes, results, world_size, deadline):
    """Wait for one message per rank; raise at the first failure, death or the deadline."""
    received = {}
    while len(received) < world_size:
        try:
            rank, ok, payload = results.get(timeout=0.2)
        except queue_module.Empty:
            dead = [r for r, p in enumerate(processes) if r not in received and p.exitcode not in (None, 0)]
            if dead:
                raise RankError(f"rank {dead[0]} died with exit code {processes[dead[0]].exitcode} "
                                "before returning a result") from None
            if time.monotonic() > deadline:
                missing = sorted(set(range(world_size)) - set(received))
                raise TimeoutError(f"run_on_ranks: ranks {missing} returned nothing in time") from None
            continue
        if not ok:
            cause = _dead_peer(processes, received, rank)
            if cause is not None:  # this rank's failure (a reset connection) follows from a peer's death
                first_line = payload.split("\n", 1)[0]
                raise RankError(f"rank {cause} died with exit code {processes[cause].exitcode} before returning a "
                                f"result (rank {rank} then failed: {first_line})")
            raise RankError(f"rank {rank} failed: {payload}")
        received[rank] = pickle.loads(payload)
    return [received[rank] for rank in range(world_size)]


def _dead_peer(processes, received, failed_rank, grace: float = 2.0) -> int | None:
    """A rank other than ``failed_rank`` that died without a result, waiting up to ``grace`` seconds
    for its death to show; None if every other rank is alive or finished cleanly."""
    end = time.monotonic() + grace
    while True:
        dead = [r for r, p in enumerate(processes)
                if r != failed_rank and r not in received and p.exitcode not in (None, 0)]
        if dead or time.monotonic() > end:
            return dead[0] if dead else None
        time.sleep(0.05)


# --------------------------------------------------------------------------- data parallelism

def make_mlp(widths=(2, 32, 32, 1), seed: int = 0):
    """An MLP Linear-Tanh-...-Linear with layer widths ``widths``, initialised from torch's
    generator seeded with ``seed`` (shifted by DLCOURSE_SEED_OFFSET), so every rank builds the
    same weights. Input (N, widths[0]) -> output (N, widths[-1])."""
    import torch
    from torch import nn

    from .config import shifted_seed

    layers = []
    with torch.random.fork_rng():
        torch.manual_seed(shifted_seed(seed))
        for i, (n_in, n_out) in enumerate(zip(widths[:-1], widths[1:])):
            layers.append(nn.Linear(n_in, n_out))
            if i < len(widths) - 2:
                layers.append(nn.Tanh())
    return nn.Sequential(*layers)


def split_batch(x, parts: int, index: int):
    """Rows of x that rank ``index`` of ``parts`` owns: the index-th of ``parts`` equal contiguous blocks."""
    size = len(x) // parts
    return x[index * size:(index + 1) * size]


def _float32(array):
    import torch

    return torch.as_tensor(np.asarray(array, dtype=np.float32))


def _state(model) -> dict:
    return {name: p.detach().numpy().copy() for name, p in model.named_parameters()}


def ddp_sgd_worker(rank, world_size, x, y, widths, steps, lr, seed):
    """One rank of data-parallel SGD: the same model on every rank, 1/world_size of the batch.

    x: (N, widths[0]) and y: (N, widths[-1]) numpy arrays, N divisible by world_size.
    DDP all-reduces (averages) the gradients during backward, so after each step every rank
    holds the weights one process would reach with the mean-loss gradient of the full batch.
    Returns {"weights": {name: array}, "losses": [local loss per step], "seconds": [wall time per step]}.
    """
    import torch
    from torch.nn.parallel import DistributedDataParallel

    model = DistributedDataParallel(make_mlp(widths, seed))
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    x_local = _float32(split_batch(x, world_size, rank))
    y_local = _float32(split_batch(y, world_size, rank))
    losses, seconds = [], []
    for _ in range(steps):
        start = time.perf_counter()
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x_local), y_local)
        loss.backward()  # gradient of the local mean, then all-reduce: g = (1/p) sum_r g_r
        optimizer.step()
        losses.append(loss.item())
        seconds.append(time.perf_counter() - start)
    return {"weights": _state(model.module), "losses": losses, "seconds": seconds}


def single_process_sgd(x, y, widths=(2, 32, 32, 1), steps: int = 5, lr: float = 0.1, seed: int = 0) -> dict:
    """The reference for ``ddp_sgd_worker``: the same SGD steps in one process on the full batch.
    Returns the same dictionary: weights, losses and seconds per step."""
    import torch

    x = check_array(x, "x", "single_process_sgd", ndim=2)
    model = make_mlp(widths, seed)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    x, y = _float32(x), _float32(y)
    losses, seconds = [], []
    for _ in range(steps):
        start = time.perf_counter()
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        seconds.append(time.perf_counter() - start)
    return {"weights": _state(model), "losses": losses, "seconds": seconds}


# --------------------------------------------------------------------------- all-reduce

def ring_all_reduce(tensor):
    """Sum ``tensor`` (1-D, length divisible by the world size p) over all ranks, in place, by
    the ring algorithm; returns the number of elements this rank sent.

    Reduce-scatter: p-1 steps; in step s rank r sends chunk (r - s) mod p to rank r+1 and adds
    the chunk (r - s - 1) mod p it receives from rank r-1. Afterwards rank r holds the full sum
    of chunk (r + 1) mod p. All-gather: p-1 more steps pass the finished chunks round the ring.
    Each rank sends 2 (p-1) chunks of n/p elements: 2 (p-1)/p * n, whatever p is.
    """
    import torch.distributed as dist

    p, r = dist.get_world_size(), dist.get_rank()
    chunks = list(tensor.chunk(p))  # views: writing into a chunk writes into tensor
    right, left = (r + 1) % p, (r - 1) % p
    received = chunks[0].clone()
    sent = 0
    for phase in ("reduce-scatter", "all-gather"):
        for s in range(p - 1):
            send_index = (r - s + (1 if phase == "all-gather" else 0)) % p
            recv_index = (r - s - 1 + (1 if phase == "all-gather" else 0)) % p
            request = dist.isend(chunks[send_index].contiguous(), right)
            dist.recv(received, left)
            request.wait()
            sent += chunks[send_index].numel()
            if phase == "reduce-scatter":
                chunks[recv_index] += received
            else:
                chunks[recv_index].copy_(received)
    return sent


def ring_all_reduce_worker(rank, world_size, n, seed):
    """Compare ``ring_all_reduce`` with ``dist.all_reduce`` on a random (n,) vector per rank.
    Returns {"max_difference": float, "elements_sent": int}."""
    import torch
    import torch.distributed as dist

    from .config import shifted_seed

    generator = torch.Generator().manual_seed(shifted_seed(seed) * 1000 + rank)
    x = torch.randn(n, generator=generator, dtype=torch.float64)
    ours, reference = x.clone(), x.clone()
    sent = ring_all_reduce(ours)
    dist.all_reduce(reference)
    return {"max_difference": (ours - reference).abs().max().item(), "elements_sent": sent}


def ring_bytes_sent(nbytes: float, world_size: int) -> float:
    """Bytes each rank sends in a ring all-reduce of an nbytes message over p ranks: 2 (p-1)/p * nbytes."""
    p = check_int(world_size, "world_size", "ring_bytes_sent", minimum=1)
    return 2 * (p - 1) / p * check_real(nbytes, "nbytes", "ring_bytes_sent", minimum=0)


def all_reduce_timing_worker(rank, world_size, sizes, repeats):
    """Time ``dist.all_reduce`` of float32 vectors of each length in ``sizes``, ``repeats`` times.

    Each repeat sweeps all sizes from small to large, so a burst of load from other programs
    slows every size a little rather than one size a lot; an untimed call opens each sweep, since
    the first call after the largest message finds cold caches. A barrier before each call lines
    the ranks up, so the time is the collective's, not the wait for a late rank.
    Returns (len(sizes), repeats) seconds.
    """
    import torch
    import torch.distributed as dist

    vectors = [torch.ones(int(n)) for n in sizes]
    for x in vectors:
        dist.all_reduce(x)  # warm-up: the first call of a size sets up buffers
    times = np.zeros((len(sizes), repeats))
    for j in range(repeats):
        dist.all_reduce(vectors[0])
        for i, x in enumerate(vectors):
            dist.barrier()
            start = time.perf_counter()
            dist.all_reduce(x)
            times[i, j] = time.perf_counter() - start
    return times


def fit_latency_bandwidth(nbytes, seconds) -> dict:
    """Fit t = latency + nbytes / bandwidth by least squares on relative errors.

    nbytes, seconds: (k,) message sizes and their (median) times. Each equation is divided by
    its time, so a 10 us call weighs as much as a 10 ms one (plain least squares would let the
    largest messages alone decide, and could leave a negative latency). R^2 is measured on the
    same relative scale, on log t: the share of the variation of log t the fitted curve explains
    (-inf if the fitted curve is not positive at every size).
    Returns {"latency": seconds, "bandwidth": bytes per second, "r2": R^2 of log t}.
    """
    nbytes = check_array(nbytes, "nbytes", "fit_latency_bandwidth", ndim=1, finite=True)
    seconds = check_array(seconds, "seconds", "fit_latency_bandwidth", shape=nbytes.shape, finite=True)
    if len(seconds) < 3 or np.any(seconds <= 0):
        raise ValueError(f"fit_latency_bandwidth expects at least 3 positive times; got {len(seconds)} "
                         f"times, the smallest {seconds.min() if len(seconds) else None}.")
    design = np.stack([np.ones_like(nbytes), nbytes], axis=1) / seconds[:, None]  # (k, 2): each row / t_i
    (latency, inverse_bandwidth), *_ = np.linalg.lstsq(design, np.ones_like(seconds), rcond=None)
    fitted = latency + inverse_bandwidth * nbytes
    log_t = np.log(seconds)
    r2 = (1 - np.sum((log_t - np.log(fitted)) ** 2) / np.sum((log_t - log_t.mean()) ** 2)
          if np.all(fitted > 0) else -np.inf)
    return {"latency": float(latency), "bandwidth": float(1 / inverse_bandwidth), "r2": float(r2)}


# --------------------------------------------------------------------------- model parallelism

def bubble_fraction(stages: int, micro_batches: int) -> float:
    """Idle share of a GPipe schedule: (p - 1) / (m + p - 1) for p stages and m micro-batches.

    Forward and backward each take m + p - 1 time slots, of which every stage works m."""
    p = check_int(stages, "stages", "bubble_fraction", minimum=1)
    m = check_int(micro_batches, "micro_batches", "bubble_fraction", minimum=1)
    return (p - 1) / (m + p - 1)


def _stage(widths, seed, rank, world_size):
    """Rank's share of make_mlp(widths, seed): its consecutive layers, the cut after a Tanh."""
    from torch import nn

    layers = list(make_mlp(widths, seed))
    per_stage = -(-(len(widths) - 1) // world_size)  # Linear layers per stage, rounded up
    cuts = [min(2 * per_stage * k, len(layers)) for k in range(world_size + 1)]
    return nn.Sequential(*layers[cuts[rank]:cuts[rank + 1]])


def model_parallel_worker(rank, world_size, x, y, widths, seed):
    """One forward and backward pass of make_mlp(widths, seed) cut into world_size stages.

    Rank k runs stage k: it receives the activation from rank k-1 (rank 0 reads x), sends its
    output to rank k+1; the last rank computes the mean-squared error with y and backward
    begins there: each rank receives dL/d(its output), backpropagates, and sends dL/d(its input)
    to rank k-1. Returns {"output": (N, out) array or None, "loss": float or None,
    "gradients": {name: array} of this stage's parameters}.
    """
    import torch
    import torch.distributed as dist

    stage = _stage(widths, seed, rank, world_size)
    last = rank == world_size - 1
    batch = len(x)
    if rank == 0:
        inputs = _float32(x)
    else:
        inputs = torch.empty(batch, _width_in(stage))
        dist.recv(inputs, rank - 1)
        inputs.requires_grad_(True)
    outputs = stage(inputs)
    if last:
        loss = torch.nn.functional.mse_loss(outputs, _float32(y))
        loss.backward()
    else:
        dist.send(outputs.detach(), rank + 1)
        grad_outputs = torch.empty_like(outputs)
        dist.recv(grad_outputs, rank + 1)
        outputs.backward(grad_outputs)  # chain rule across the cut: dL/dW = (dL/d out) (d out/dW)
    if rank > 0:
        dist.send(inputs.grad, rank - 1)
    gradients = {name: p.grad.numpy().copy() for name, p in stage.named_parameters()}
    return {"output": outputs.detach().numpy() if last else None, "loss": loss.item() if last else None,
            "gradients": gradients}


def _width_in(stage) -> int:
    return next(layer for layer in stage if hasattr(layer, "in_features")).in_features


def pipeline_worker(rank, world_size, x, y, widths, seed, micro_batches, repeats):
    """GPipe on world_size stages: split the batch into micro_batches, run all forwards (each
    stage passes micro-batch i on and starts i+1 while the next stage works on i), then all
    backwards in reverse; gradients accumulate to those of the full batch (the loss of each
    micro-batch is divided by m).

    Times ``repeats`` steps. Returns {"seconds": (repeats,) wall time per step,
    "busy": (repeats,) seconds this rank spent computing, "gradients": {name: array} of the last step}.
    """
    import torch
    import torch.distributed as dist

    stage = _stage(widths, seed, rank, world_size)
    last, m = rank == world_size - 1, micro_batches
    xs, ys = _float32(x).chunk(m), _float32(y).chunk(m)
    seconds, busy = np.zeros(repeats), np.zeros(repeats)
    for step in range(repeats):
        stage.zero_grad()
        dist.barrier()
        start, work = time.perf_counter(), 0.0
        inputs, outputs, pending = [], [], []
        for i in range(m):  # forward of every micro-batch
            if rank == 0:
                a = xs[i]
            else:
                a = torch.empty(len(xs[i]), _width_in(stage))
                dist.recv(a, rank - 1)
                a.requires_grad_(True)
            tick = time.perf_counter()
            out = stage(a)
            loss = torch.nn.functional.mse_loss(out, ys[i]) / m if last else None
            work += time.perf_counter() - tick
            if not last:
                pending.append(dist.isend(out.detach(), rank + 1))  # asynchronous: go on with i+1
            inputs.append(a), outputs.append(loss if last else out)
        for i in reversed(range(m)):  # backward, last micro-batch first
            if last:
                tick = time.perf_counter()
                outputs[i].backward()
            else:
                grad = torch.empty_like(outputs[i])
                dist.recv(grad, rank + 1)
                tick = time.perf_counter()
                outputs[i].backward(grad)
            work += time.perf_counter() - tick
            if rank > 0:
                pending.append(dist.isend(inputs[i].grad, rank - 1))
        for request in pending:
            request.wait()
        seconds[step], busy[step] = time.perf_counter() - start, work
    gradients = {name: p.grad.numpy().copy() for name, p in stage.named_parameters()}
    return {"seconds": seconds, "busy": busy, "gradients": gradients}


# --------------------------------------------------------------------------- parameter server

def delayed_sgd(x, y, widths=(2, 32, 32, 1), steps: int = 200, lr: float = 0.1, delay: int = 0,
                seed: int = 0) -> np.ndarray:
    """Full-batch gradient descent whose gradients are ``delay`` updates stale, in one process:
    theta_{t+1} = theta_t - lr * grad L(theta_{t - delay}), the update an asynchronous parameter
    server applies when ``delay`` other updates land between a worker's read and its write.

    x: (N, widths[0]), y: (N, widths[-1]). Deterministic, so the effect of staleness alone is
    seen. Returns the (steps + 1,) full-batch losses L(theta_t).
    """
    import collections

    import torch

    steps = check_int(steps, "steps", "delayed_sgd", minimum=1)
    delay = check_int(delay, "delay", "delayed_sgd", minimum=0)
    lr = check_real(lr, "lr", "delayed_sgd", minimum=0, open_minimum=True)
    model, reader = make_mlp(widths, seed), make_mlp(widths, seed)  # reader: the stale copy a worker holds
    x, y = _float32(x), _float32(y)
    history = collections.deque(maxlen=delay + 1)  # theta_{t - delay}, ..., theta_t
    losses = []
    for _ in range(steps + 1):
        history.append([p.detach().clone() for p in model.parameters()])
        with torch.no_grad():
            losses.append(torch.nn.functional.mse_loss(model(x), y).item())
        with torch.no_grad():
            for p, old in zip(reader.parameters(), history[0]):  # history[0] = theta_{t - delay}
                p.copy_(old)
        gradients = torch.autograd.grad(torch.nn.functional.mse_loss(reader(x), y), list(reader.parameters()))
        with torch.no_grad():
            for p, g in zip(model.parameters(), gradients):
                p -= lr * g
    return np.array(losses)


class ParameterServer:
    """The weights of make_mlp(widths, seed) on the server (rank 0), read and updated by workers.

    mode "async" (Downpour SGD): each pushed gradient is applied at once, however stale.
    mode "sync": a push waits until every worker has pushed for this round; the server then
    applies the mean gradient, so nobody's gradient is ever stale.
    Staleness of a push = updates applied between the worker's read and its push.
    """

    def __init__(self, widths, seed, lr, workers, mode, x, y):
        import threading

        self.model, self.lr, self.workers, self.mode = make_mlp(widths, seed), lr, workers, mode
        self.x, self.y = _float32(x), _float32(y)
        self.version, self.pending, self.staleness, self.losses = 0, [], [], [self._loss()]
        self.lock = threading.Condition()

    def _loss(self) -> float:
        import torch

        with torch.no_grad():
            return torch.nn.functional.mse_loss(self.model(self.x), self.y).item()

    def read(self):
        with self.lock:
            return [p.detach().clone() for p in self.model.parameters()], self.version

    def push(self, gradients, read_version):
        import torch

        with self.lock:
            self.staleness.append(self.version - read_version)
            if self.mode == "sync":
                round_, self.pending = self.version, self.pending + [gradients]
                if len(self.pending) < self.workers:
                    self.lock.wait_for(lambda: self.version > round_)
                    return
                gradients = [torch.stack(g).mean(0) for g in zip(*self.pending)]  # g = (1/K) sum_k g_k
                self.pending = []
            with torch.no_grad():
                for p, g in zip(self.model.parameters(), gradients):
                    p -= self.lr * g  # theta <- theta - lr * g(theta_read)
            self.version += 1
            self.losses.append(self._loss())
            self.lock.notify_all()


_SERVER = None  # the ParameterServer of this process, on rank 0 only


def _server_read():
    return _SERVER.read()


def _server_push(gradients, read_version):
    return _SERVER.push(gradients, read_version)


def parameter_server_worker(rank, world_size, x, y, widths, updates, lr, batch, mode, seed):
    """Rank 0 serves the weights; ranks 1..K (K = world_size - 1) each do ``updates`` times:
    read the weights (an RPC), compute the gradient of a random mini-batch of ``batch`` rows of
    its shard of (x, y), push it (another RPC). Returns, on rank 0, {"staleness": (pushes,),
    "losses": full-data loss after each applied update}; None on the workers.
    """
    import torch
    import torch.distributed as dist
    import torch.distributed.rpc as rpc

    from .config import shifted_seed

    global _SERVER
    port = torch.tensor([free_port() if rank == 0 else 0])
    dist.broadcast(port, src=0)  # the RPC layer meets at its own port, chosen by rank 0
    if rank == 0:  # exists before any worker can call it
        _SERVER = ParameterServer(widths, seed, lr, world_size - 1, mode, x, y)
    # enough RPC threads that every worker can wait inside a synchronous push at once
    options = rpc.TensorPipeRpcBackendOptions(init_method=f"tcp://{ADDRESS}:{port.item()}",
                                              num_worker_threads=world_size + 4)
    with warnings.catch_warnings():  # init_rpc calls a gloo helper that torch itself marks as deprecated
        warnings.filterwarnings("ignore", message="You are using a Backend", category=UserWarning)
        rpc.init_rpc(f"rank{rank}", rank=rank, world_size=world_size, rpc_backend_options=options)
    if rank > 0:
        model = make_mlp(widths, seed)
        x_shard = _float32(split_batch(x, world_size - 1, rank - 1))  # worker k's 1/K of the data
        y_shard = _float32(split_batch(y, world_size - 1, rank - 1))
        generator = torch.Generator().manual_seed(shifted_seed(seed) * 1000 + rank)
        for _ in range(updates):
            weights, version = rpc.rpc_sync("rank0", _server_read)
            with torch.no_grad():
                for p, w in zip(model.parameters(), weights):
                    p.copy_(w)
            rows = torch.randint(len(x_shard), (batch,), generator=generator)
            loss = torch.nn.functional.mse_loss(model(x_shard[rows]), y_shard[rows])
            gradients = torch.autograd.grad(loss, list(model.parameters()))
            rpc.rpc_sync("rank0", _server_push, args=(list(gradients), version))
    rpc.shutdown()  # waits for every rank's outstanding calls: the server outlives the last push
    if rank == 0:
        return {"staleness": np.array(_SERVER.staleness), "losses": np.array(_SERVER.losses)}
    return None
