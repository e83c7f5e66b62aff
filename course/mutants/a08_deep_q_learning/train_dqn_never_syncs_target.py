"""Copies the online network into the target network once at the start and never again, so the targets come from a random network."""
import copy

import numpy as np
import torch
from torch import nn


def train_dqn(env, config, seed):
    """Train a DQN on `env`."""
    torch.manual_seed(seed)              # the networks' initial weights
    rng = np.random.default_rng(seed)    # exploration and mini-batches
    n_observations, n_actions = env.observation_space.shape[0], int(env.action_space.n)
    online = make_q_network(n_observations, n_actions, config.hidden)
    target = make_q_network(n_observations, n_actions, config.hidden)
    target.load_state_dict(online.state_dict())  # a copy to begin with ...
    optimizer = torch.optim.Adam(online.parameters(), lr=config.lr)
    buffer = ReplayBuffer(config.buffer_capacity)
    history = {"episode_return": [], "evaluation_step": [], "evaluation_return": []}
    best_return, best_weights = -np.inf, None

    state, _ = env.reset(seed=seed)
    episode_return = 0.0
    for step in range(1, config.steps + 1):
        # act epsilon-greedily and remember what happened
        epsilon = epsilon_by_step(step, config.epsilon_start, config.epsilon_end, config.epsilon_decay_steps)
        if rng.random() < epsilon:
            action = int(rng.integers(n_actions))
        else:
            with torch.no_grad():
                action = int(online(torch.as_tensor(state, dtype=torch.float32)).argmax())
        next_state, reward, terminated, truncated, _ = env.step(action)
        buffer.push(state, action, reward, next_state, terminated)  # truncated (the time limit) is not an ending
        episode_return += reward
        if terminated or truncated:
            history["episode_return"].append(episode_return)
            state, _ = env.reset()
            episode_return = 0.0
        else:
            state = next_state

        # regress Q(s, a; theta) onto the TD targets of a random mini-batch
        if len(buffer) >= config.learning_starts:
            states, actions, rewards, next_states, dones = buffer.sample(config.batch_size, rng)
            with torch.no_grad():
                targets = td_targets(rewards, target(next_states), dones, config.gamma)  # y, (B,)
            predicted = online(states).gather(1, actions[:, None]).squeeze(1)         # Q(s, a; theta), (B,)
            loss = nn.functional.smooth_l1_loss(predicted, targets)                     # Huber
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(online.parameters(), config.max_grad_norm)
            optimizer.step()

        if step % config.evaluate_every == 0 and len(buffer) >= config.learning_starts:
            mean_return = float(evaluate_greedy(online, config.evaluation_episodes, config.evaluation_seed).mean())
            history["evaluation_step"].append(step)
            history["evaluation_return"].append(mean_return)
            if mean_return > best_return:  # keep a copy: state_dict() alone holds the live tensors
                best_return, best_weights = mean_return, copy.deepcopy(online.state_dict())
            if mean_return >= config.target_return:
                break
    if best_weights is not None:
        online.load_state_dict(best_weights)
    return online, history
