"""dlcourse.models.qlearning and dlcourse.models.dqn: tabular Q-learning and DQN (lecture 14)."""
import copy
import dataclasses
import re

import gymnasium as gym
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

import dlcourse
import dlcourse.models.dqn
from dlcourse.models.dqn import (AtariQNetwork, DQNConfig, QNetwork, ReplayBuffer, evaluate_greedy, sync_target,
                                 td_targets, train_dqn)
from dlcourse.models.qlearning import (action_values, epsilon_by_step, evaluate_policy_exactly, greedy_policy,
                                       plot_q_table, policy_evaluation, q_learning, run_policy, tabular_model)


# ------------------------------------------------------------------ epsilon schedule
def test_epsilon_falls_linearly_then_stays_at_its_floor():
    assert epsilon_by_step(0, 1.0, 0.1, 100) == 1.0
    assert epsilon_by_step(50, 1.0, 0.1, 100) == pytest.approx(0.55)
    assert epsilon_by_step(100, 1.0, 0.1, 100) == pytest.approx(0.1)
    assert epsilon_by_step(10_000, 1.0, 0.1, 100) == pytest.approx(0.1)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"step": -1}, ValueError, "epsilon_by_step expects step to be a non-negative integer; got -1."),
    ({"step": 1, "decay_steps": 0}, ValueError, "epsilon_by_step expects decay_steps to be a positive integer; got 0."),
    ({"step": 1, "start": 0.1, "end": 0.5}, ValueError,
     "epsilon_by_step expects 0 <= end <= start <= 1; got start=0.1, end=0.5."),
    ({"step": 1, "start": 1.5}, ValueError, "epsilon_by_step expects start to be a number in [0, 1]; got 1.5."),
    ({"step": 2.0}, TypeError, "epsilon_by_step expects step to be a non-negative integer; got 2.0."),
    ({"step": 1, "end": "0.05"}, TypeError, "epsilon_by_step expects end to be a number in [0, 1]; got '0.05'."),
])
def test_epsilon_schedule_explains_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        epsilon_by_step(**kwargs)


# ------------------------------------------------------------------ tabular Q-learning
def test_q_learning_solves_the_deterministic_frozen_lake_and_repeats_exactly():
    env = gym.make("FrozenLake-v1", is_slippery=False)
    Q, history = q_learning(env, 300, alpha=0.5, gamma=0.9, seed=3, progress=False)
    assert Q.shape == (16, 4) and len(history["return"]) == 300
    assert run_policy(env, greedy_policy(Q), episodes=5).tolist() == [1.0] * 5
    # the optimal value of the start state is gamma^(steps to the goal - 1) = 0.9^5
    assert Q[0].max() == pytest.approx(0.9**5, abs=1e-3)
    again, _ = q_learning(env, 300, alpha=0.5, gamma=0.9, seed=3, progress=False)
    assert np.array_equal(Q, again)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"episodes": 0}, ValueError, "q_learning expects episodes to be a positive integer; got 0."),
    ({"episodes": "10"}, TypeError, "q_learning expects episodes to be a positive integer; got '10'."),
    ({"alpha": 0}, ValueError, "q_learning expects alpha to be a number in (0, 1]; got 0."),
    ({"gamma": None}, TypeError, "q_learning expects gamma to be a number in [0, 1]; got None."),
])
def test_q_learning_explains_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        q_learning(gym.make("FrozenLake-v1"), **{"episodes": 1, "progress": False, **kwargs})


def test_q_learning_refuses_continuous_states():
    with pytest.raises(TypeError, match="tabular Q-learning needs discrete states and actions"):
        q_learning(gym.make("CartPole-v1"), 1, progress=False)


def test_run_policy_wants_one_action_per_state():
    with pytest.raises(ValueError, match=re.escape("run_policy expects policy to be one action per state, shape (16,); "
                                                   "got shape (4,).")):
        run_policy(gym.make("FrozenLake-v1"), np.zeros(4, dtype=int))


def test_plot_q_table_draws_one_mark_per_tile():
    env = gym.make("FrozenLake-v1")
    ax = plot_q_table(np.random.default_rng(0).random((16, 4)), env.unwrapped.desc)
    assert len(ax.texts) == 16
    plt.close(ax.figure)
    message = "plot_q_table expects Q to be a table of shape (16, 4) for a 4 x 4 map; got shape (9, 4)."
    with pytest.raises(ValueError, match=re.escape(message)):
        plot_q_table(np.zeros((9, 4)), env.unwrapped.desc)


# ------------------------------------------------------------------ known model: policy evaluation
def _two_state_chain():
    """State 0: action 0 stays (reward 1), action 1 moves to the absorbing state 1 (reward 2)."""
    P = np.zeros((2, 2, 2))
    P[0, 0, 0] = P[0, 1, 1] = P[1, :, 1] = 1.0
    R = np.array([[1.0, 2.0], [0.0, 0.0]])
    return P, R


def test_tabular_model_of_frozen_lake_has_stochastic_rows_and_the_slippery_thirds():
    P, R = tabular_model(gym.make("FrozenLake-v1"))
    assert P.shape == (16, 4, 16) and R.shape == (16, 4)
    assert np.allclose(P.sum(axis=2), 1.0)
    # from the start, "down" goes down (state 4) or slides left (stays at 0) or right (state 1), a third each
    assert P[0, 1, [0, 1, 4]] == pytest.approx([1 / 3, 1 / 3, 1 / 3])
    # only entering the goal (state 15) pays: from state 14, "right" reaches it with probability 1/3
    assert R[14, 2] == pytest.approx(1 / 3) and R[15].tolist() == [0.0] * 4 and R[:14].max() == 0.0
    assert P[5, :, 5].tolist() == [1.0] * 4  # a hole is absorbing
    with pytest.raises(TypeError, match="tabular Q-learning needs discrete states and actions"):
        tabular_model(gym.make("CartPole-v1"))

    class NoModel(gym.Env):
        observation_space, action_space = gym.spaces.Discrete(3), gym.spaces.Discrete(2)

    with pytest.raises(TypeError, match=re.escape("tabular_model expects a toy-text environment with its model in "
                                                  "env.unwrapped.P, such as FrozenLake-v1; got NoModel, which has none.")):
        tabular_model(NoModel())


def test_policy_evaluation_matches_the_hand_computed_values_of_a_two_state_chain():
    P, R = _two_state_chain()
    # staying forever earns 1 / (1 - gamma); leaving earns 2 once
    assert evaluate_policy_exactly(P, R, np.array([0, 0]), gamma=0.9) == pytest.approx([10.0, 0.0])
    assert evaluate_policy_exactly(P, R, np.array([1, 0]), gamma=0.9) == pytest.approx([2.0, 0.0])
    # the uniform policy: V0 = 1.5 + 0.9 * 0.5 * V0, so V0 = 1.5 / 0.55
    V, sweeps = policy_evaluation(P, R, np.full((2, 2), 0.5), gamma=0.9, tolerance=1e-12)
    assert V == pytest.approx([1.5 / 0.55, 0.0], abs=1e-10) and sweeps > 10


def test_iterative_and_exact_policy_evaluation_agree_on_frozen_lake():
    P, R = tabular_model(gym.make("FrozenLake-v1"))
    random_policy = np.full((16, 4), 0.25)
    V_iterative, _ = policy_evaluation(P, R, random_policy, gamma=0.95, tolerance=1e-13)
    V_exact = evaluate_policy_exactly(P, R, random_policy, gamma=0.95)
    assert np.abs(V_iterative - V_exact).max() < 1e-10
    # V_pi(s) = sum_a pi(a | s) Q_pi(s, a), and a deterministic policy is its one-hot rows
    Q = action_values(P, R, V_exact, gamma=0.95)
    assert (random_policy * Q).sum(axis=1) == pytest.approx(V_exact, abs=1e-12)
    policy = Q.argmax(axis=1)
    assert evaluate_policy_exactly(P, R, policy, 0.95) == pytest.approx(
        evaluate_policy_exactly(P, R, np.eye(4)[policy], 0.95), abs=1e-12)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"policy": np.array([0, 2])}, ValueError,
     "evaluate_policy_exactly expects policy to be one action in 0..1 per state, shape (2,); got shape (2,) with dtype int64."),
    ({"policy": np.zeros((2, 3))}, ValueError,
     "evaluate_policy_exactly expects policy to be probabilities of shape (2, 2); got shape (2, 3)."),
    ({"gamma": 1.0}, ValueError, "evaluate_policy_exactly expects gamma to be a number in [0, 1); got 1.0."),
    ({"R": np.zeros(2)}, ValueError, "evaluate_policy_exactly expects R to be expected rewards of shape (2, 2); got shape (2,)."),
])
def test_evaluate_policy_exactly_explains_bad_arguments(kwargs, error, message):
    P, R = _two_state_chain()
    arguments = {"P": P, "R": R, "policy": np.array([0, 0]), **kwargs}
    with pytest.raises(error, match=re.escape(message)):
        evaluate_policy_exactly(**arguments)


# ------------------------------------------------------------------ DQN pieces
def test_atari_network_has_the_parameter_count_of_mnih_2015():
    model = AtariQNetwork(n_actions=18)
    assert sum(p.numel() for p in model.parameters()) == 1_693_362
    assert model(torch.zeros(2, 4, 84, 84)).shape == (2, 18)
    with pytest.raises(ValueError, match=re.escape("AtariQNetwork expects frames of shape (B, 4, 84, 84); got (2, 4, 64, 64).")):
        model(torch.zeros(2, 4, 64, 64))


def test_replay_buffer_overwrites_the_oldest_and_samples_only_filled_slots():
    buffer = ReplayBuffer(capacity=3, observation_shape=(2,), seed=0)
    with pytest.raises(ValueError, match="called on an empty buffer"):
        buffer.sample(4)
    buffer.push([1.0, 1.0], 1, 1.0, [2.0, 2.0], False)
    states, actions, rewards, next_states, terminated = buffer.sample(50)
    assert states.shape == (50, 2) and torch.all(rewards == 1.0)  # never an unused (zero) slot
    for k in range(2, 6):
        buffer.push([k, k], 0, float(k), [k + 1, k + 1], k == 5)
    assert len(buffer) == 3
    _, _, rewards, _, terminated = buffer.sample(200)
    assert set(rewards.tolist()) == {3.0, 4.0, 5.0}  # transitions 1 and 2 were overwritten
    assert set(terminated[rewards == 5.0].tolist()) == {1.0}


def test_td_targets_mask_terminal_states_and_use_double_q():
    dlcourse.seed_everything(0)
    online, target = QNetwork(3, 2, hidden=(8,)), QNetwork(3, 2, hidden=(8,))
    next_states = torch.randn(5, 3)
    rewards, terminated = torch.arange(5.0), torch.tensor([0.0, 1.0, 0.0, 1.0, 0.0])
    got = td_targets(rewards, next_states, terminated, online, target, gamma=0.9, double=True)
    with torch.no_grad():
        chosen = online(next_states).argmax(1)
        expected = rewards + 0.9 * (1 - terminated) * target(next_states)[torch.arange(5), chosen]
        vanilla = rewards + 0.9 * (1 - terminated) * target(next_states).max(1).values
    assert torch.allclose(got, expected)
    assert torch.allclose(td_targets(rewards, next_states, terminated, online, target, 0.9, double=False), vanilla)
    assert got[1] == rewards[1] and got[3] == rewards[3]


def test_sync_target_copies_or_follows_the_online_network():
    dlcourse.seed_everything(0)
    online, target = QNetwork(3, 2), QNetwork(3, 2)
    before = [p.clone() for p in target.parameters()]
    sync_target(target, online, tau=0.25)
    for b, t, o in zip(before, target.parameters(), online.parameters()):
        assert torch.allclose(t, 0.75 * b + 0.25 * o)
    sync_target(target, online)
    assert all(torch.equal(t, o) for t, o in zip(target.parameters(), online.parameters()))
    with pytest.raises(ValueError, match=re.escape("sync_target expects tau to be a number in (0, 1]; got 0.")):
        sync_target(target, online, tau=0)


def test_evaluate_greedy_repeats_for_the_same_seeds():
    dlcourse.seed_everything(0)
    model, env = QNetwork(4, 2), gym.make("CartPole-v1")
    first = evaluate_greedy(model, env, episodes=3, seed=7)
    assert first.shape == (3,) and np.array_equal(first, evaluate_greedy(model, env, episodes=3, seed=7))


def test_dqn_config_is_frozen_and_has_the_defaults_that_solve_cartpole():
    config = DQNConfig()
    assert (config.steps, config.hidden, config.lr, config.tau, config.double, config.buffer_capacity) == (
        60_000, (128, 128), 1e-3, 0.005, True, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.lr = 0.1
    assert dataclasses.replace(config, lr=3e-4).lr == 3e-4 and config.lr == 1e-3
    assert DQNConfig(hidden=[64, 32]).hidden == (64, 32)  # stored as checked: a tuple


@pytest.mark.parametrize("kwargs, message", [
    ({"steps": 0}, "DQNConfig expects steps to be a positive integer; got 0."),
    ({"gamma": 1.5}, "DQNConfig expects gamma to be a number in [0, 1]; got 1.5."),
    ({"tau": 0.0}, "DQNConfig expects tau to be a number in (0, 1]; got 0.0."),
    ({"lr": -1e-3}, "DQNConfig expects lr to be a positive number; got -0.001."),
    ({"hidden": (128, 0)}, "DQNConfig expects each entry of hidden to be a positive integer; got 0."),
    ({"buffer_capacity": 0}, "DQNConfig expects buffer_capacity to be a positive integer; got 0."),
    ({"epsilon_start": 0.1, "epsilon_end": 0.5}, "DQNConfig expects epsilon_end to be at most epsilon_start = 0.1; "
                                                 "got 0.5."),
    ({"validation_episodes": 0}, "DQNConfig expects validation_episodes to be a positive integer; got 0."),
])
def test_dqn_config_raises_value_error_for_a_disallowed_value(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        DQNConfig(**kwargs)


@pytest.mark.parametrize("kwargs, message", [
    ({"steps": 6e4}, "DQNConfig expects steps to be a positive integer; got 60000.0."),
    ({"lr": "1e-3"}, "DQNConfig expects lr to be a positive number; got '1e-3'."),
    ({"double": 1}, "DQNConfig expects double to be True or False; got 1."),
    ({"hidden": "128"}, "DQNConfig expects hidden to be a tuple of layer widths such as (128, 128); got '128'."),
    ({"target_return": "500"}, "DQNConfig expects target_return to be a number; got '500'."),
])
def test_dqn_config_raises_type_error_for_a_value_of_the_wrong_type(kwargs, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        DQNConfig(**kwargs)


def test_train_dqn_refuses_image_or_continuous_action_environments():
    with pytest.raises(TypeError, match="train_dqn expects a gymnasium environment with a vector state and discrete"):
        train_dqn(gym.make("Pendulum-v1"), DQNConfig(steps=10), progress=False)


def test_train_dqn_wants_its_hyper_parameters_in_a_dqn_config():
    with pytest.raises(TypeError, match=re.escape("train_dqn expects config to be a dlcourse.models.dqn.DQNConfig; "
                                                  "got dict.")):
        train_dqn(gym.make("CartPole-v1"), {"steps": 10}, progress=False)
    with pytest.raises(TypeError):
        train_dqn(gym.make("CartPole-v1"), DQNConfig(steps=10), 0)  # seed is keyword-only
    with pytest.raises(ValueError, match=re.escape("train_dqn expects seed to be a non-negative integer; got -1.")):
        train_dqn(gym.make("CartPole-v1"), DQNConfig(steps=10), seed=-1, progress=False)


def test_train_dqn_runs_on_one_thread_and_restores_the_callers_setting(monkeypatch):
    threads_seen = []

    def schedule(*args):
        threads_seen.append(torch.get_num_threads())
        return epsilon_by_step(*args)

    monkeypatch.setattr(dlcourse.models.dqn, "epsilon_by_step", schedule)
    threads = torch.get_num_threads()
    dlcourse.seed_everything(0)
    _, history = train_dqn(gym.make("CartPole-v1"), DQNConfig(steps=40, learning_starts=10, validate_every=0),
                           progress=False)
    assert set(threads_seen) == {1} and len(threads_seen) == 40
    assert torch.get_num_threads() == threads and history["episode_return"]


@pytest.mark.slow
def test_train_dqn_improves_cartpole_and_keeps_the_best_validated_network():
    dlcourse.seed_everything(0)
    config = DQNConfig(steps=6_000, learning_starts=500, validate_every=1_000, validation_episodes=3)
    model, history = train_dqn(gym.make("CartPole-v1"), config, seed=0, progress=False)
    assert len(history["validation_return"]) == 6
    best = max(history["validation_return"])
    assert best > 100  # a random policy averages about 22
    assert evaluate_greedy(model, gym.make("CartPole-v1"), 3, seed=10_000).mean() == pytest.approx(best)
