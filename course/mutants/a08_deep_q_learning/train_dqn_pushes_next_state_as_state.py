"""Updates state = next_state before the push, so every transition is stored as (s', a, r, s'): the action is paired with the wrong state."""
FUNCTION = "train_dqn"
EDITS = [
    ("        next_state, reward, terminated, truncated, _ = env.step(action)",
     "        next_state, reward, terminated, truncated, _ = env.step(action)\n"
     "        state = next_state  # the mistake: moves on before remembering, so the pushed state is s', not s"),
    ("            episode_return = 0.0\n"
     "        else:\n"
     "            state = next_state",
     "            episode_return = 0.0"),
]
