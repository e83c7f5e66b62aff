"""Takes a step of size eps instead of alpha, an FGSM step from the iterate."""
FUNCTION = "pgd_step"
EDITS = [
    ("    x_next = x_adv.detach() + alpha * gradient.sign()  # the step first ...",
     "    x_next = x_adv.detach() + eps * gradient.sign()"),
]
