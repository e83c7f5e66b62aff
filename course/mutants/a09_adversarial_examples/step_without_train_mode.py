"""Never calls model.train(), so a model handed over in eval mode is trained with batch norm's running statistics."""
FUNCTION = "adversarial_training_step"
EDITS = [
    ("    model.train()\n", ""),
]
