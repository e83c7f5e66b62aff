"""Takes the log of the softmax, which is log 0 = -inf once a logit is a few hundred above another."""
FUNCTION = "causal_lm_loss"
EDITS = [
    ("    log_p = torch.log_softmax(logits[:, :-1], dim=-1)  # (N, T - 1, V); the logits at t score the token at t + 1",
     "    log_p = torch.log(torch.softmax(logits[:, :-1], dim=-1))"),
]
