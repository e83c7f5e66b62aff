"""Builds the generator's samples from theta.detach() too, so no gradient reaches theta."""
FUNCTION = "train_theta"
EDITS = [
    ("        generator_loss = -critic(generate(theta)).mean()  # move the samples to where the critic scores high",
     "        generator_loss = -critic(generate(theta.detach())).mean()  # move the samples to where the critic scores high"),
]
