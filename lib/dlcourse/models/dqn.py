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

``train_dqn(env, DQNConfig(...), seed=...)`` runs, with the hyper-parameters of ``DQNConfig``::

    for step = 1, 2, ..., steps:
        act epsilon-greedily, epsilon = epsilon_by_step(step)           # explore, then exploit
        store (s, a, r, s', terminated) in the replay buffer
        if the buffer holds learning_starts transitions:
            one Adam step on a random mini-batch: DQN1, DQN2 (gradient norm clipped), then DQN3
        every validate_every steps: greedy validation episodes; keep the best network,
            stop once their mean return reaches target_return
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .._loop import TrainingLog
from .._validation import check_flag, check_int, check_real, check_widths
from ..config import one_thread, rng, shifted_seed
from ..config import progress as _progress
from .qlearning import epsilon_by_step

__all__ = ["QNetwork", "AtariQNetwork", "ReplayBuffer", "td_targets", "sync_target", "DQNConfig", "train_dqn",
           "evaluate_greedy"]


class QNetwork(nn.Module):
    """An MLP from a state (B, n_observations) to one Q value per action (B, n_actions)."""

    def __init__(self, n_observations, n_actions, hidden=(128, 128)):
        super().__init__()
        widths = [check_int(n_observations, "n_observations", "QNetwork", minimum=1),
                  *check_widths(hidden, "hidden", "QNetwork", example="(128, 128)", minimum_length=0)]
        layers = []
        for fan_in, fan_out in zip(widths, widths[1:]):
            layers += [nn.Linear(fan_in, fan_out), nn.ReLU()]
        layers.append(nn.Linear(widths[-1], check_int(n_actions, "n_actions", "QNetwork", minimum=1)))
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
        self.capacity = check_int(capacity, "capacity", "ReplayBuffer", minimum=1)
        shape = (self.capacity, *observation_shape)
        self.states = np.zeros(shape, dtype=np.float32)
        self.next_states = np.zeros(shape, dtype=np.float32)
        self.actions = np.zeros(self.capacity, dtype=np.int64)
        self.rewards = np.zeros(self.capacity, dtype=np.float32)
        self.terminated = np.zeros(self.capacity, dtype=np.float32)
        self.size = 0       # filled slots
        self._next = 0      # slot the next transition goes to
        self._rng = rng(seed)

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
        rows = self._rng.integers(0, self.size, size=check_int(batch_size, "batch_size", "ReplayBuffer.sample",
                                                               minimum=1))
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
    tau = check_real(tau, "tau", "sync_target", minimum=0, maximum=1, open_minimum=True)
    for target, online in zip(target_network.parameters(), q_network.parameters()):
        target.lerp_(online, tau)


@torch.no_grad()
def evaluate_greedy(q_network, env, episodes=20, seed=0):
    """Returns of ``episodes`` greedy episodes, episode k starting from ``env.reset(seed=seed + k)``.

    Returns a (episodes,) float array; no exploration, so the same network gives the same returns.
    """
    returns = np.zeros(check_int(episodes, "episodes", "evaluate_greedy", minimum=1))
    for k in range(len(returns)):
        state, _ = env.reset(seed=shifted_seed(seed + k))
        done = False
        while not done:
            action = int(q_network(torch.as_tensor(state, dtype=torch.float32)).argmax())
            state, reward, terminated, truncated, _ = env.step(action)
            returns[k] += reward
            done = terminated or truncated
    return returns


@dataclass(frozen=True)
class DQNConfig:
    """The hyper-parameters of ``train_dqn``, one field each; the defaults solve CartPole-v1.

    Frozen, so a run's settings cannot change under it: derive variants with
    ``dataclasses.replace(config, lr=3e-4)``. Checked when built (TypeError for a wrong type,
    ValueError for a value out of range). The names follow assignment a08's ``DQNConfig``
    where the two share a setting.
    """

    steps: int = 60_000
    """At most this many environment steps (training stops early once target_return is reached)."""
    hidden: tuple[int, ...] = (128, 128)
    """Widths of the Q network's hidden layers (one int: a single hidden layer; (): a linear Q function)."""
    lr: float = 1e-3
    """Adam's learning rate."""
    gamma: float = 0.99
    """Discount factor of the TD target (DQN1), in [0, 1]."""
    batch_size: int = 64
    """Transitions per mini-batch."""
    buffer_capacity: int | None = None
    """Transitions the replay buffer keeps; None keeps all of them (steps)."""
    learning_starts: int = 1_000
    """Transitions to collect before the first update."""
    epsilon_start: float = 1.0
    """Exploration rate at step 0 ..."""
    epsilon_end: float = 0.02
    """... falling linearly to this floor ..."""
    epsilon_decay_steps: int = 5_000
    """... over this many steps (epsilon_by_step)."""
    tau: float = 0.005
    """DQN3's step of the target network towards the Q network after every update; 1.0 copies it."""
    double: bool = True
    """Double DQN targets (van Hasselt et al. 2016); False gives the 2015 target max_a' Q_target(s', a')."""
    max_grad_norm: float = 10.0
    """Clip the gradient's norm to this before each Adam step."""
    validate_every: int = 2_000
    """Play greedy validation episodes every this many steps (0: never, and keep the last network) ..."""
    validation_episodes: int = 10
    """... this many of them ..."""
    validation_seed: int = 10_000
    """... from env.reset(seed=validation_seed), validation_seed + 1, ..."""
    target_return: float | None = None
    """Stop once a validation's mean return reaches this; None: the environment's return limit, if any."""

    def __post_init__(self):
        name = "DQNConfig"
        ints = {"steps": 1, "batch_size": 1, "learning_starts": 0, "epsilon_decay_steps": 1, "validate_every": 0,
                "validation_episodes": 1, "validation_seed": 0}
        checked = {field: check_int(getattr(self, field), field, name, minimum=low) for field, low in ints.items()}
        checked["hidden"] = check_widths(self.hidden, "hidden", name, example="(128, 128)", minimum_length=0)
        checked["lr"] = check_real(self.lr, "lr", name, minimum=0, open_minimum=True)
        checked["max_grad_norm"] = check_real(self.max_grad_norm, "max_grad_norm", name, minimum=0, open_minimum=True)
        checked["tau"] = check_real(self.tau, "tau", name, minimum=0, maximum=1, open_minimum=True)
        for field in ("gamma", "epsilon_start", "epsilon_end"):
            checked[field] = check_real(getattr(self, field), field, name, minimum=0, maximum=1)
        if checked["epsilon_end"] > checked["epsilon_start"]:
            raise ValueError(f"DQNConfig expects epsilon_end to be at most epsilon_start = {self.epsilon_start}; "
                             f"got {self.epsilon_end}.")
        checked["double"] = check_flag(self.double, "double", name)
        if self.buffer_capacity is not None:
            checked["buffer_capacity"] = check_int(self.buffer_capacity, "buffer_capacity", name, minimum=1)
        if self.target_return is not None:
            checked["target_return"] = check_real(self.target_return, "target_return", name)
        for field, value in checked.items():
            object.__setattr__(self, field, value)  # frozen: store the checked, converted values once


@one_thread()
def train_dqn(env, config=DQNConfig(), *, seed=0, progress=True):
    """Train a Q network on ``env`` (a gymnasium env with a Box state and Discrete actions).

    config: a ``DQNConfig``, the hyper-parameters. seed: seeds the exploration, the replay
    buffer's sampling and the environment's first reset (the Q network's initial weights come
    from torch's global generator: ``dlcourse.seed_everything`` before the call).

    Every step: act epsilon-greedily, store the transition, train on one mini-batch from the
    replay buffer (DQN1, DQN2, gradient norm clipped at ``max_grad_norm``) and move the target
    network towards the Q network (DQN3). Every ``validate_every`` steps the greedy policy plays
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
    n_actions, target_return, seed = _check_training(env, config, seed)
    q_network = QNetwork(env.observation_space.shape[0], n_actions, config.hidden)
    target_network = copy.deepcopy(q_network)
    optimizer = torch.optim.Adam(q_network.parameters(), lr=config.lr)
    buffer = ReplayBuffer(config.buffer_capacity or config.steps, env.observation_space.shape, seed=seed)
    explore, validation_env = rng(seed), copy.deepcopy(env)
    best_return, best_state = -np.inf, copy.deepcopy(q_network.state_dict())
    state, _ = env.reset(seed=shifted_seed(seed))
    episode_return = 0.0

    with TrainingLog(["episode_return", "episode_end_step", "validation_step", "validation_return"],
                     live=False, xlabel="step") as log:
        for step in _progress(range(1, config.steps + 1), desc="steps", disable=not progress):
            epsilon = epsilon_by_step(step, config.epsilon_start, config.epsilon_end, config.epsilon_decay_steps)
            action = _epsilon_greedy(q_network, state, epsilon, explore, n_actions)
            next_state, reward, terminated, truncated, _ = env.step(action)
            buffer.push(state, action, reward, next_state, terminated)  # truncated is not terminal
            state, episode_return = next_state, episode_return + reward
            if terminated or truncated:
                log.record(step, episode_return=episode_return, episode_end_step=step)
                state, _ = env.reset()
                episode_return = 0.0

            if len(buffer) >= config.learning_starts:
                states, actions, rewards, next_states, done = buffer.sample(config.batch_size)
                targets = td_targets(rewards, next_states, done, q_network, target_network, config.gamma,
                                     config.double)                                          # DQN1
                predicted = q_network(states).gather(1, actions[:, None]).squeeze(1)         # Q(s, a)
                loss = nn.functional.smooth_l1_loss(predicted, targets)                      # DQN2
                optimizer.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(q_network.parameters(), config.max_grad_norm)
                optimizer.step()
                sync_target(target_network, q_network, config.tau)                           # DQN3

            if config.validate_every and step % config.validate_every == 0 and len(buffer) >= config.learning_starts:
                mean_return = float(evaluate_greedy(q_network, validation_env, config.validation_episodes,
                                                    config.validation_seed).mean())
                log.record(step, validation_step=step, validation_return=mean_return)
                if mean_return > best_return:
                    best_return, best_state = mean_return, copy.deepcopy(q_network.state_dict())
                if target_return is not None and mean_return >= target_return:
                    break
    if log.history["validation_return"]:
        q_network.load_state_dict(best_state)
    return q_network.eval(), log.history


def _check_training(env, config, seed):
    """(n_actions, target_return, seed) for train_dqn, after checking its arguments."""
    if not hasattr(env.action_space, "n") or len(env.observation_space.shape or ()) != 1:
        raise TypeError("train_dqn expects a gymnasium environment with a vector state and discrete actions, "
                        f"such as CartPole-v1; got {env.observation_space} states and {env.action_space} actions.")
    if not isinstance(config, DQNConfig):
        raise TypeError(f"train_dqn expects config to be a dlcourse.models.dqn.DQNConfig; got "
                        f"{type(config).__name__}. Pass the hyper-parameters as train_dqn(env, DQNConfig(steps=...)).")
    target_return = config.target_return
    if target_return is None and env.spec is not None and env.spec.max_episode_steps:
        target_return = float(env.spec.max_episode_steps)  # CartPole: +1 per step, at most 500 steps
    return int(env.action_space.n), target_return, check_int(seed, "seed", "train_dqn", minimum=0)


def _epsilon_greedy(q_network, state, epsilon, explore, n_actions) -> int:
    """A random action with probability epsilon (drawn from ``explore``), else argmax_a Q(state, a)."""
    if explore.random() < epsilon:
        return int(explore.integers(n_actions))
    with torch.no_grad():
        return int(q_network(torch.as_tensor(state, dtype=torch.float32)).argmax())
