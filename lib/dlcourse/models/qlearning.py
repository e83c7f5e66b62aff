"""Tabular Q-learning on small discrete environments such as FrozenLake (lecture 14).

Q-learning (Watkins 1989) keeps one number Q(s, a) per state and action, the return it
expects from taking action a in state s and acting greedily afterwards, and moves it a
step alpha towards the Bellman target after every transition (s, a, r, s')::

    target    = r + gamma * max_a' Q(s', a')      # Q1  Bellman target; just r if s' is terminal
    Q(s, a)  += alpha * (target - Q(s, a))         # Q2  temporal-difference update

Actions are chosen epsilon-greedily (``epsilon_by_step``), so every action keeps being
tried while the estimates settle. The greedy policy pi(s) = argmax_a Q(s, a) is the answer.

When the model is known (gymnasium's toy-text environments expose it as ``env.unwrapped.P``),
``tabular_model`` turns it into arrays P (S, A, S) and R (S, A), and a policy's values follow
from the Bellman expectation equation V = r_pi + gamma P_pi V (Sutton and Barto 2018, ch. 4),
either by sweeps (``policy_evaluation``) or by one linear solve (``evaluate_policy_exactly``)::

    V_pi = (I - gamma * P_pi)^-1 r_pi                  # exact, needs gamma < 1
    Q_pi(s, a) = R(s, a) + gamma * sum_s' P(s'|s, a) V_pi(s')   # ``action_values``
"""
from __future__ import annotations

import numpy as np

from .. import config
from .._validation import check_array, check_int, check_real
from ..config import progress as _progress

__all__ = ["epsilon_by_step", "q_learning", "greedy_policy", "run_policy", "plot_q_table", "tabular_model",
           "policy_evaluation", "evaluate_policy_exactly", "action_values"]

_ARROWS = {0: "\u2190", 1: "\u2193", 2: "\u2192", 3: "\u2191"}  # FrozenLake: left, down, right, up


def epsilon_by_step(step, start=1.0, end=0.05, decay_steps=10_000) -> float:
    """The exploration rate at ``step``: linear from ``start`` to ``end`` over ``decay_steps``, then ``end``.

    epsilon_t = max(end, start - (start - end) * t / decay_steps), the schedule of Mnih et al. (2015).
    step: a non-negative integer (steps or episodes, whichever the caller counts).
    """
    step = check_int(step, "step", "epsilon_by_step", minimum=0)
    decay_steps = check_int(decay_steps, "decay_steps", "epsilon_by_step", minimum=1)
    check_real(start, "start", "epsilon_by_step", minimum=0, maximum=1)
    check_real(end, "end", "epsilon_by_step", minimum=0, maximum=1)
    if end > start:
        raise ValueError(f"epsilon_by_step expects 0 <= end <= start <= 1; got start={start!r}, end={end!r}.")
    return max(end, start - (start - end) * step / decay_steps)


def q_learning(env, episodes, alpha=0.1, gamma=0.99, epsilon_start=1.0, epsilon_end=0.01, decay_episodes=None,
               seed=0, progress=True):
    """Learn Q(s, a) for a gymnasium environment with discrete states and actions.

    env: e.g. ``gymnasium.make("FrozenLake-v1")``; its observation and action spaces must be Discrete.
    episodes: number of episodes to play; alpha: step size of Q2; gamma: discount in Q1.
    epsilon_start, epsilon_end, decay_episodes: the epsilon-greedy schedule over episodes
        (decay_episodes None means half of the episodes).
    seed: seeds the environment's first reset and the exploration; the same seed repeats the run.
    Returns (Q, history): Q of shape (n_states, n_actions), float64, and a dict of per-episode
    lists "return" and "epsilon".
    """
    n_states, n_actions = _discrete_sizes(env)
    episodes = check_int(episodes, "episodes", "q_learning", minimum=1)
    check_real(alpha, "alpha", "q_learning", minimum=0, maximum=1, open_minimum=True)
    check_real(gamma, "gamma", "q_learning", minimum=0, maximum=1)
    decay_episodes = (max(1, episodes // 2) if decay_episodes is None
                      else check_int(decay_episodes, "decay_episodes", "q_learning", minimum=1))
    seed = check_int(seed, "seed", "q_learning", minimum=0)
    rng = config.rng(seed)
    env.action_space.seed(config.shifted_seed(seed))
    Q = np.zeros((n_states, n_actions))
    history = {"return": [], "epsilon": []}
    state, _ = env.reset(seed=config.shifted_seed(seed))
    for episode in _progress(range(episodes), desc="episodes", disable=not progress):
        epsilon = epsilon_by_step(episode, epsilon_start, epsilon_end, decay_episodes)
        if episode > 0:
            state, _ = env.reset()
        total, done = 0.0, False
        while not done:
            if rng.random() < epsilon:
                action = int(rng.integers(n_actions))
            else:  # break ties at random, or an all-zero row always picks action 0
                best = np.flatnonzero(Q[state] == Q[state].max())
                action = int(rng.choice(best))
            next_state, reward, terminated, truncated, _ = env.step(action)
            target = reward + (0.0 if terminated else gamma * Q[next_state].max())  # Q1
            Q[state, action] += alpha * (target - Q[state, action])                # Q2
            state, total, done = next_state, total + reward, terminated or truncated
        history["return"].append(total)
        history["epsilon"].append(epsilon)
    return Q, history


def greedy_policy(Q) -> np.ndarray:
    """pi(s) = argmax_a Q(s, a) for every state: Q (n_states, n_actions) -> (n_states,) int64."""
    Q = check_array(Q, "Q", "greedy_policy", ndim=2, allowed="a Q table of shape (n_states, n_actions)")
    return Q.argmax(axis=1)


def run_policy(env, policy, episodes=100, seed=0) -> np.ndarray:
    """Play ``episodes`` episodes following ``policy`` (a (n_states,) array of actions).

    Episode k starts from ``env.reset(seed=seed + k)``, so the evaluation repeats exactly.
    Returns the (episodes,) array of returns.
    """
    n_states, _ = _discrete_sizes(env)
    policy = check_array(policy, "policy", "run_policy", shape=(n_states,), dtype=None,
                         allowed=f"one action per state, shape ({n_states},)")
    returns = np.zeros(check_int(episodes, "episodes", "run_policy", minimum=1))
    for k in range(len(returns)):
        state, _ = env.reset(seed=config.shifted_seed(seed + k))
        done = False
        while not done:
            state, reward, terminated, truncated, _ = env.step(int(policy[state]))
            returns[k] += reward
            done = terminated or truncated
    return returns


def tabular_model(env) -> tuple[np.ndarray, np.ndarray]:
    """The known model of a toy-text environment as arrays (P, R).

    env: e.g. ``gymnasium.make("FrozenLake-v1")``, whose ``env.unwrapped.P[s][a]`` lists the
    outcomes (probability, s', reward, terminated) of action a in state s.
    Returns P of shape (n_states, n_actions, n_states), P[s, a, s'] = P(s' | s, a), each row
    summing to 1, and R of shape (n_states, n_actions), the expected reward sum_s' P r.
    Terminal states are absorbing with reward 0 (as gymnasium writes them), so for gamma < 1
    their value is 0 and no "terminated" flag is needed.
    """
    n_states, n_actions = _discrete_sizes(env)
    model = getattr(env.unwrapped, "P", None)
    if not isinstance(model, dict):
        raise TypeError("tabular_model expects a toy-text environment with its model in env.unwrapped.P, "
                        f"such as FrozenLake-v1; got {type(env.unwrapped).__name__}, which has none.")
    P = np.zeros((n_states, n_actions, n_states))
    R = np.zeros((n_states, n_actions))
    for s in range(n_states):
        for a in range(n_actions):
            for probability, next_state, reward, _ in model[s][a]:
                P[s, a, next_state] += probability
                R[s, a] += probability * reward
    return P, R


def _policy_matrices(P, R, policy, gamma, function):
    """(P_pi (S, S), r_pi (S,)) for a deterministic (S,) or stochastic (S, A) policy, after checks."""
    P = check_array(P, "P", function, ndim=3, allowed="transition probabilities of shape (S, A, S)")
    n_states, n_actions, _ = P.shape
    R = check_array(R, "R", function, shape=(n_states, n_actions),
                    allowed=f"expected rewards of shape ({n_states}, {n_actions})")
    policy = check_array(policy, "policy", function, ndim=(1, 2), dtype=None,
                         allowed=f"one action per state ({n_states},) or probabilities ({n_states}, {n_actions})")
    if policy.ndim == 1:
        if policy.shape != (n_states,) or policy.dtype.kind not in "iu" or policy.min() < 0 or policy.max() >= n_actions:
            raise ValueError(f"{function} expects policy to be one action in 0..{n_actions - 1} per state, shape "
                             f"({n_states},); got shape {policy.shape} with dtype {policy.dtype}.")
        policy = np.eye(n_actions)[policy]                                    # (S, A) one-hot
    elif policy.shape != (n_states, n_actions):
        raise ValueError(f"{function} expects policy to be probabilities of shape ({n_states}, {n_actions}); "
                         f"got shape {policy.shape}.")
    check_real(gamma, "gamma", function, minimum=0, maximum=1, open_maximum=True)
    P_pi = np.einsum("sa,sat->st", policy, P)                                 # (S, S)
    r_pi = (policy * R).sum(axis=1)                                           # (S,)
    return P_pi, r_pi


def policy_evaluation(P, R, policy, gamma=0.99, tolerance=1e-10, max_sweeps=100_000):
    """V_pi by iterative policy evaluation: sweep V <- r_pi + gamma P_pi V until it stops changing.

    P: (S, A, S) and R: (S, A) from ``tabular_model``; policy: (S,) actions or (S, A)
    probabilities pi(a | s); gamma in [0, 1). Stops when no value moves by more than
    ``tolerance`` in a sweep; each sweep shrinks the error by the factor gamma.
    Returns (V, sweeps): V of shape (S,) and the number of sweeps made.
    """
    P_pi, r_pi = _policy_matrices(P, R, policy, gamma, "policy_evaluation")
    tolerance = check_real(tolerance, "tolerance", "policy_evaluation", minimum=0, open_minimum=True)
    max_sweeps = check_int(max_sweeps, "max_sweeps", "policy_evaluation", minimum=1)
    V = np.zeros(len(r_pi))
    for sweep in range(1, max_sweeps + 1):
        new_V = r_pi + gamma * P_pi @ V                                       # Bellman expectation backup
        change = np.abs(new_V - V).max()
        V = new_V
        if change < tolerance:
            break
    return V, sweep


def evaluate_policy_exactly(P, R, policy, gamma=0.99) -> np.ndarray:
    """V_pi = (I - gamma P_pi)^-1 r_pi, the Bellman expectation equation solved as a linear system.

    P: (S, A, S) and R: (S, A) from ``tabular_model``; policy: (S,) actions or (S, A)
    probabilities; gamma in [0, 1), which makes I - gamma P_pi invertible. Returns V of shape (S,).
    """
    P_pi, r_pi = _policy_matrices(P, R, policy, gamma, "evaluate_policy_exactly")
    return np.linalg.solve(np.eye(len(r_pi)) - gamma * P_pi, r_pi)


def action_values(P, R, V, gamma=0.99) -> np.ndarray:
    """Q(s, a) = R(s, a) + gamma sum_s' P(s' | s, a) V(s'): one step, then the values V.

    P: (S, A, S), R: (S, A), V: (S,). With V = V_pi this is Q_pi; with V = V* it is Q*.
    Returns Q of shape (S, A).
    """
    P = check_array(P, "P", "action_values", ndim=3, allowed="transition probabilities of shape (S, A, S)")
    R = check_array(R, "R", "action_values", shape=P.shape[:2], allowed=f"expected rewards of shape {P.shape[:2]}")
    V = check_array(V, "V", "action_values", shape=(P.shape[0],), allowed=f"one value per state, shape ({P.shape[0]},)")
    check_real(gamma, "gamma", "action_values", minimum=0, maximum=1)
    return R + gamma * P @ V                                                  # (S, A, S) @ (S,) -> (S, A)


def plot_q_table(Q, desc, ax=None, title=None):
    """Draw a grid world's state values max_a Q(s, a) as colours and the greedy action as arrows.

    Q: (rows * cols, 4) table of FrozenLake (actions left, down, right, up);
    desc: the map, e.g. ``env.unwrapped.desc`` (rows of b"S", b"F", b"H", b"G").
    Returns the Axes.
    """
    import matplotlib.pyplot as plt

    desc = np.asarray(desc).astype(str)
    rows, cols = desc.shape
    Q = check_array(Q, "Q", "plot_q_table", shape=(rows * cols, 4),
                    allowed=f"a table of shape ({rows * cols}, 4) for a {rows} x {cols} map")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.9 * cols + 1.2, 0.9 * rows))
    values = Q.max(axis=1).reshape(rows, cols)
    image = ax.imshow(values, cmap="viridis")
    policy = greedy_policy(Q).reshape(rows, cols)
    for r in range(rows):
        for c in range(cols):
            tile = desc[r, c]
            if tile in "HG":
                ax.text(c, r, tile, ha="center", va="center", color="white", fontsize=14, weight="bold")
            else:
                ax.text(c, r, _ARROWS[int(policy[r, c])], ha="center", va="center", color="white", fontsize=16)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.figure.colorbar(image, ax=ax, label="max_a Q(s, a)")
    if title:
        ax.set_title(title)
    return ax


def _discrete_sizes(env) -> tuple[int, int]:
    observation, action = env.observation_space, env.action_space
    if not (hasattr(observation, "n") and hasattr(action, "n")):
        raise TypeError("tabular Q-learning needs discrete states and actions (gymnasium.spaces.Discrete); "
                        f"got {type(observation).__name__} states and {type(action).__name__} actions. "
                        "For continuous states such as CartPole use a Q network (dlcourse.models.dqn).")
    return int(observation.n), int(action.n)
