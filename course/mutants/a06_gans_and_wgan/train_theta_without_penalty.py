"""Trains the critic on critic_loss alone, without the gradient penalty, so nothing keeps it Lipschitz."""
FUNCTION = "train_theta"
EDITS = [
    ("            loss = critic_loss(critic(real), critic(fake)) + gradient_penalty(critic, real, fake, lam, generator=draws)",
     "            loss = critic_loss(critic(real), critic(fake))"),
]
