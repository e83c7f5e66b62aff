"""Averages the cross-entropy over every node, labelled or not."""
FUNCTION = "masked_cross_entropy"
EDITS = [
    ('    log_p = torch.log_softmax(logits[mask], dim=1)  # stable: the largest logit is subtracted first',
     '    log_p = torch.log_softmax(logits, dim=1)'),
    ('    return -log_p.gather(1, y[mask][:, None]).mean()  # mean over the labelled nodes only',
     '    return -log_p.gather(1, y[:, None]).mean()'),
]
