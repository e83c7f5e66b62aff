"""Flattens the batch before shifting, so the last token of one sequence becomes a target of the next."""
FUNCTION = "causal_lm_loss"
EDITS = [
    ("    log_p = torch.log_softmax(logits[:, :-1], dim=-1)  # (N, T - 1, V); the logits at t score the token at t + 1\n"
     "    return -log_p.gather(-1, ids[:, 1:, None]).mean()  # stable, and the mean over the N (T - 1) predictions",
     "    log_p = torch.log_softmax(logits.reshape(-1, logits.shape[-1])[:-1], dim=-1)\n"
     "    return -log_p.gather(-1, ids.reshape(-1)[1:, None]).mean()"),
]
