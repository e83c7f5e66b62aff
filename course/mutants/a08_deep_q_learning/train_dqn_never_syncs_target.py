"""Copies the online network into the target network once at the start and never again, so the targets come from a random network."""
FUNCTION = "train_dqn"
EDITS = [
    ("            optimizer.step()\n"
     "\n"
     "        if step % config.target_sync_every == 0:\n"
     "            sync_target(online, target)",
     "            optimizer.step()\n"),
]
