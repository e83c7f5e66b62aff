"""Scores each position's logits against the token at the same position instead of the next one."""
FUNCTION = "causal_lm_loss"
EDITS = [
    ("    log_p = torch.log_softmax(logits[:, :-1], dim=-1)  # (N, T - 1, V); the logits at t score the token at t + 1\n"
     "    return -log_p.gather(-1, ids[:, 1:, None]).mean()  # stable, and the mean over the N (T - 1) predictions",
     "    log_p = torch.log_softmax(logits, dim=-1)\n"
     "    return -log_p.gather(-1, ids[:, :, None]).mean()"),
]
