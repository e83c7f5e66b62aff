"""Deep Q-learning (DQN) for gymnasium environments with a vector state, e.g. CartPole (lecture 14).

A Q network replaces the table of tabular Q-learning. Mnih et al. (2015) made this stable
with two ideas, both here: a *replay buffer* that stores transitions and trains on random
mini-batches of them (breaking the correlation of consecutive steps), and a *target
network*, a slowly following copy of the Q network that computes the targets::

    y = r + gamma * (1 - terminated) * Q_target(s', argmax_a' Q(s', a'))   # DQN1 double-DQN target
    loss = huber(Q(s, a) - y)                                              # DQN2 Huber loss
    theta_target <- tau * theta + (1 - tau) * theta_target                 # DQN3 soft target sync

The target uses double DQN (van Hasselt et al. 2016): the online network picks the next
action and the target network values it, which curbs the over-estimation of max. An episode
cut off by a time limit (truncated) is not terminal: its next state still has a value.
"""
from __future__ import annotations

import contextlib
import copy
import numbers

import numpy as np
import torch
from torch import nn

from .. import config
from ..config import progress as _progress
from .qlearning import epsilon_by_step

__all__ = ["QNetwork", "AtariQNetwork", "ReplayBuffer", "td_targets", "sync_target", "train_dqn", "evaluate_greedy"]


class QNetwork(nn.Module):
    """An MLP from a state (B, n_observations) to one Q value per action (B, n_actions)."""

    def __init__(self, n_observations, n_actions, hidden=(128, 128)):
        super().__init__()
        widths = [_positive_int("QNetwork", "n_observations", n_observations), *hidden]
        layers = []
        for fan_in, fan_out in zip(widths, widths[1:]):
            layers += [nn.Linear(fan_in, fan_out), nn.ReLU()]
        layers.append(nn.Linear(widths[-1], _positive_int("QNetwork", "n_actions", n_actions)))
        self.layers = nn.Sequential(*layers)

    def forward(self, states):
        return self.layers(states)


class AtariQNetwork(nn.Module):
    """The Q network of Mnih et al. (2015): 4 stacked 84x84 grey frames (B, 4, 84, 84) -> (B, n_actions).

    conv 32 8x8 stride 4 -> conv 64 4x4 stride 2 -> conv 64 3x3 stride 1 -> dense 512 -> n_actions,
    with ReLUs between; 1,693,362 parameters for the 18 actions of the full Atari action set.
    """

    def __init__(self, n_actions=18, frames=4):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(frames, 32, kernel_size=8, stride=4), nn.ReLU(),   # (B, 32, 20, 20)
            nn.Conv2d(32, 64, kernel_size=4, stride=2), nn.ReLU(),       # (B, 64, 9, 9)
            nn.Conv2d(64, 64, kernel_size=3, stride=1), nn.ReLU(),       # (B, 64, 7, 7)
            nn.Flatten(),
        )
        self.head = nn.Sequential(nn.Linear(64 * 7 * 7, 512), nn.ReLU(), nn.Linear(512, n_actions))

    def forward(self, frames):
        if frames.ndim != 4 or tuple(frames.shape[2:]) != (84, 84):
            raise ValueError(f"AtariQNetwork expects frames of shape (B, {self.features[0].in_channels}, 84, 84); "
                             f"got {tuple(frames.shape)}.")
        return self.head(self.features(frames))


class ReplayBuffer:
    """A fixed-capacity store of transitions (s, a, r, s', terminated) sampled uniformly at random.

    Once full, each new transition overwrites the oldest. ``sample`` draws only from slots that
    hold a transition, so a half-filled buffer never returns the zeros of unused slots.
    capacity: the most transitions kept; observation_shape: shape of one state, e.g. (4,);
    seed: seeds the sampling generator.
    """

    def __init__(self, capacity, observation_shape, seed=0):
        self.capacity = _positive_int("ReplayBuffer", "capacity", capacity)
        shape = (self.capacity, *observation_shape)
        self.states = np.zeros(shape, dtype=np.float32)
        self.next_states = np.zeros(shape, dtype=np.float32)
        self.actions = np.zeros(self.capacity, dtype=np.int64)
        self.rewards = np.zeros(self.capacity, dtype=np.float32)
        self.terminated = np.zeros(self.capacity, dtype=np.float32)
        self.size = 0       # filled slots
        self._next = 0      # slot the next transition goes to
        self._rng = config.rng(seed)

    def __len__(self):
        return self.size

    def push(self, state, action, reward, next_state, terminated):
        """Store one transition, overwriting the oldest when the buffer is full."""
        i = self._next
        self.states[i], self.actions[i], self.rewards[i] = state, action, reward
        self.next_states[i], self.terminated[i] = next_state, float(terminated)
        self._next = (i + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def sample(self, batch_size):
        """A random mini-batch (with replacement) as tensors: states (B, ...), actions (B,),
        rewards (B,), next_states (B, ...), terminated (B,) as 0.0/1.0."""
        if self.size == 0:
            raise ValueError("ReplayBuffer.sample was called on an empty buffer; push transitions first.")
        rows = self._rng.integers(0, self.size, size=_positive_int("ReplayBuffer.sample", "batch_size", batch_size))
        return (torch.from_numpy(self.states[rows]), torch.from_numpy(self.actions[rows]),
                torch.from_numpy(self.rewards[rows]), torch.from_numpy(self.next_states[rows]),
                torch.from_numpy(self.terminated[rows]))


@torch.no_grad()
def td_targets(rewards, next_states, terminated, q_network, target_network, gamma=0.99, double=True):
    """DQN1: r + gamma * (1 - terminated) * Q_target(s', a*) for a mini-batch, without gradient.

    a* = argmax Q(s') (double DQN, ``double=True``) or argmax Q_target(s') (the 2015 DQN).
    rewards, terminated: (B,); next_states: (B, ...). Returns targets of shape (B,).
    """
    next_q = target_network(next_states)                                      # (B, n_actions)
    chooser = q_network(next_states) if double else next_q
    best = next_q.gather(1, chooser.argmax(dim=1, keepdim=True)).squeeze(1)   # Q_target(s', a*)
    return rewards + gamma * (1.0 - terminated) * best


@torch.no_grad()
def sync_target(target_network, q_network, tau=1.0):
    """DQN3: theta_target <- tau theta + (1 - tau) theta_target; tau=1 copies (a hard sync)."""
    if not 0.0 < tau <= 1.0:
        raise ValueError(f"sync_target expects tau in (0, 1]; got {tau!r}.")
    for target, online in zip(target_network.parameters(), q_network.parameters()):
        target.lerp_(online, tau)


@torch.no_grad()
def evaluate_greedy(q_network, env, episodes=20, seed=0):
    """Returns of ``episodes`` greedy episodes, episode k starting from ``env.reset(seed=seed + k)``.

    Returns a (episodes,) float array; no exploration, so the same network gives the same returns.
    """
    returns = np.zeros(_positive_int("evaluate_greedy", "episodes", episodes))
    for k in range(len(returns)):
        state, _ = env.reset(seed=config.shifted_seed(seed + k))
        done = False
        while not done:
            action = int(q_network(torch.as_tensor(state, dtype=torch.float32)).argmax())
            state, reward, terminated, truncated, _ = env.step(action)
            returns[k] += reward
            done = terminated or truncated
    return returns


@contextlib.contextmanager
def _one_thread():
    """Run torch on one thread, then restore the caller's setting. A Q network for a
    4-number state is so small that splitting each step across threads costs far more than
    it saves (ten times more on a busy 2-core machine), and one thread also fixes the order
    of every floating-point sum, so runs repeat exactly."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def train_dqn(env, steps=60_000, hidden=(128, 128), lr=1e-3, gamma=0.99, batch_size=64, buffer_capacity=None,
              learning_starts=1_000, epsilon_start=1.0, epsilon_end=0.02, epsilon_steps=5_000, tau=0.005,
              double=True, validate_every=2_000, validation_episodes=10, validation_seed=10_000,
              target_return=None, seed=0, progress=True):
    """Train a Q network on ``env`` (a gymnasium env with a Box state and Discrete actions).

    Every step: act epsilon-greedily, store the transition, train on one mini-batch from the
    replay buffer (DQN1, DQN2, gradient norm clipped at 10) and move the target network
    towards the Q network (DQN3). Every ``validate_every`` steps the greedy policy plays
    ``validation_episodes`` episodes from seeds ``validation_seed, validation_seed + 1, ...``;
    the best network seen is kept (DQN's returns swing widely during training, so the last
    network is often not the best), and training stops early once the validation mean
    reaches ``target_return`` (None: the environment's return limit, if it has one).
    Use evaluation seeds other than the validation seeds to report the result. Training runs
    torch on one thread (restored afterwards): faster for so small a network, and repeatable.

    Returns (q_network, history): the best network (evaluation mode) and a dict with
    per-episode lists "episode_return" and "episode_end_step", and per-validation lists
    "validation_step" and "validation_return".
    """
    with _one_thread():
        return _train_dqn(env, steps, hidden, lr, gamma, batch_size, buffer_capacity, learning_starts, epsilon_start,
                          epsilon_end, epsilon_steps, tau, double, validate_every, validation_episodes,
                          validation_seed, target_return, seed, progress)


def _train_dqn(env, steps, hidden, lr, gamma, batch_size, buffer_capacity, learning_starts, epsilon_start,
               epsilon_end, epsilon_steps, tau, double, validate_every, validation_episodes, validation_seed,
               target_return, seed, progress):
    if not hasattr(env.action_space, "n") or len(env.observation_space.shape or ()) != 1:
        raise TypeError("train_dqn expects a gymnasium environment with a vector state and discrete actions, "
                        f"such as CartPole-v1; got {env.observation_space} states and {env.action_space} actions.")
    steps = _positive_int("train_dqn", "steps", steps)
    n_observations, n_actions = env.observation_space.shape[0], int(env.action_space.n)
    if target_return is None and env.spec is not None and env.spec.max_episode_steps:
        target_return = float(env.spec.max_episode_steps)  # CartPole: +1 per step, at most 500 steps
    q_network = QNetwork(n_observations, n_actions, hidden)
    target_network = copy.deepcopy(q_network)
    optimizer = torch.optim.Adam(q_network.parameters(), lr=lr)
    buffer = ReplayBuffer(buffer_capacity or steps, (n_observations,), seed=seed)
    explore = config.rng(seed)
    validation_env = copy.deepcopy(env)

    history = {"episode_return": [], "episode_end_step": [], "validation_step": [], "validation_return": []}
    best_return, best_state = -np.inf, copy.deepcopy(q_network.state_dict())
    state, _ = env.reset(seed=config.shifted_seed(seed))
    episode_return = 0.0
    for step in _progress(range(1, steps + 1), desc="steps", disable=not progress):
        epsilon = epsilon_by_step(step, epsilon_start, epsilon_end, epsilon_steps)
        if explore.random() < epsilon:
            action = int(explore.integers(n_actions))
        else:
            with torch.no_grad():
                action = int(q_network(torch.as_tensor(state, dtype=torch.float32)).argmax())
        next_state, reward, terminated, truncated, _ = env.step(action)
        buffer.push(state, action, reward, next_state, terminated)  # truncated is not terminal
        state, episode_return = next_state, episode_return + reward
        if terminated or truncated:
            history["episode_return"].append(episode_return)
            history["episode_end_step"].append(step)
            state, _ = env.reset()
            episode_return = 0.0

        if len(buffer) >= learning_starts:
            states, actions, rewards, next_states, done = buffer.sample(batch_size)
            targets = td_targets(rewards, next_states, done, q_network, target_network, gamma, double)  # DQN1
            predicted = q_network(states).gather(1, actions[:, None]).squeeze(1)                      # Q(s, a)
            loss = nn.functional.smooth_l1_loss(predicted, targets)                                   # DQN2
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(q_network.parameters(), 10.0)
            optimizer.step()
            sync_target(target_network, q_network, tau)                                               # DQN3

        if validate_every and step % validate_every == 0 and len(buffer) >= learning_starts:
            mean_return = float(evaluate_greedy(q_network, validation_env, validation_episodes, validation_seed).mean())
            history["validation_step"].append(step)
            history["validation_return"].append(mean_return)
            if mean_return > best_return:
                best_return, best_state = mean_return, copy.deepcopy(q_network.state_dict())
            if target_return is not None and mean_return >= target_return:
                break
    if history["validation_return"]:
        q_network.load_state_dict(best_state)
    return q_network.eval(), history


def _positive_int(function, name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{function} expects {name} to be a positive integer; got {value!r}.")
    return int(value)
