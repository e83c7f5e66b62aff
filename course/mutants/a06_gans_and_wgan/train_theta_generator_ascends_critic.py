"""Steps theta along +mean f(G(z)) (a sign error), moving the samples to where the critic scores low."""
FUNCTION = "train_theta"
EDITS = [
    ("        generator_loss = -critic(generate(theta)).mean()  # move the samples to where the critic scores high",
     "        generator_loss = critic(generate(theta)).mean()  # move the samples to where the critic scores high"),
]
