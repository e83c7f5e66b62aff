"""Records theta before each generator step, so history starts at theta0 and misses the final value."""
FUNCTION = "train_theta"
EDITS = [
    ("            critic_optimizer.step()",
     "            critic_optimizer.step()\n"
     "        if history is not None:\n"
     "            history.append(theta.item())"),
    ("            theta -= lr * (1 - k / steps) * grad\n"
     "        if history is not None:\n"
     "            history.append(theta.item())",
     "            theta -= lr * (1 - k / steps) * grad"),
]
