"""Appends every transition to a list and never drops one, so the buffer grows past its capacity."""
FUNCTION = "ReplayBuffer"
EDITS = [
    ("        self.size = 0        # slots that hold a transition\n"
     "        self.position = 0    # the slot the next transition goes to (the oldest, once full)\n"
     "        self.states = None   # arrays of `capacity` rows, allocated at the first push (the state size is known then)",
     "        self.memory = []"),
    ("        if self.states is None:\n"
     "            shape = (self.capacity, *np.shape(state))\n"
     "            self.states = np.zeros(shape, dtype=np.float32)\n"
     "            self.next_states = np.zeros(shape, dtype=np.float32)\n"
     "            self.actions = np.zeros(self.capacity, dtype=np.int64)\n"
     "            self.rewards = np.zeros(self.capacity, dtype=np.float32)\n"
     "            self.dones = np.zeros(self.capacity, dtype=np.float32)\n"
     "        i = self.position\n"
     "        self.states[i], self.actions[i], self.rewards[i] = state, action, reward\n"
     "        self.next_states[i], self.dones[i] = next_state, float(done)\n"
     "        self.position = (i + 1) % self.capacity  # round the ring\n"
     "        self.size = min(self.size + 1, self.capacity)",
     "        self.memory.append((state, action, reward, next_state, done))"),
    ("        return self.size",
     "        return len(self.memory)"),
    ("        if batch_size > self.size:\n"
     '            raise ValueError(f"cannot sample {batch_size} distinct transitions from a buffer holding {self.size}")\n'
     "        rows = rng.choice(self.size, size=batch_size, replace=False)  # only filled slots, no repeats\n"
     "        return (torch.from_numpy(self.states[rows]), torch.from_numpy(self.actions[rows]),\n"
     "                torch.from_numpy(self.rewards[rows]), torch.from_numpy(self.next_states[rows]),\n"
     "                torch.from_numpy(self.dones[rows]))",
     "        rows = rng.choice(len(self.memory), size=batch_size, replace=False)\n"
     "        states, actions, rewards, next_states, dones = zip(*(self.memory[i] for i in rows))\n"
     "        return (torch.as_tensor(np.array(states), dtype=torch.float32), torch.as_tensor(actions, dtype=torch.int64),\n"
     "                torch.as_tensor(rewards, dtype=torch.float32), torch.as_tensor(np.array(next_states), dtype=torch.float32),\n"
     "                torch.as_tensor(dones, dtype=torch.float32))"),
]
