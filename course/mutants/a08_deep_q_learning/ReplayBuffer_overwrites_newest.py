"""Once full, overwrites the newest transition (the last slot) instead of the oldest, so old ones are never replaced."""
import numpy as np
import torch


class ReplayBuffer:
    """A memory of at most `capacity` transitions."""

    def __init__(self, capacity):
        self.capacity = capacity
        self.memory = []

    def push(self, state, action, reward, next_state, done):
        if len(self.memory) < self.capacity:
            self.memory.append((state, action, reward, next_state, done))
        else:
            self.memory[-1] = (state, action, reward, next_state, done)

    def __len__(self):
        return len(self.memory)

    def sample(self, batch_size, rng):
        rows = rng.choice(len(self.memory), size=batch_size, replace=False)
        states, actions, rewards, next_states, dones = zip(*(self.memory[i] for i in rows))
        return (torch.as_tensor(np.array(states), dtype=torch.float32), torch.as_tensor(actions, dtype=torch.int64),
                torch.as_tensor(rewards, dtype=torch.float32), torch.as_tensor(np.array(next_states), dtype=torch.float32),
                torch.as_tensor(dones, dtype=torch.float32))
