"""Calls critic_loss(f(fake), f(real)), so the critic learns to score the generated line high."""
FUNCTION = "train_theta"
EDITS = [
    ("            loss = critic_loss(critic(real), critic(fake)) + gradient_penalty(critic, real, fake, lam, generator=draws)",
     "            loss = critic_loss(critic(fake), critic(real)) + gradient_penalty(critic, real, fake, lam, generator=draws)"),
]
