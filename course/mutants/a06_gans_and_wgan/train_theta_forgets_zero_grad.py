"""Never zeroes the critic's gradients, so every critic step adds up all earlier gradients."""
FUNCTION = "train_theta"
EDITS = [
    ("            loss = critic_loss(critic(real), critic(fake)) + gradient_penalty(critic, real, fake, lam, generator=draws)\n"
     "            critic_optimizer.zero_grad()",
     "            loss = critic_loss(critic(real), critic(fake)) + gradient_penalty(critic, real, fake, lam, generator=draws)"),
]
