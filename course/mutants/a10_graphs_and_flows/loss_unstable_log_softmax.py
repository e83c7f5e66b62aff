"""Takes the log of softmax, which gives log 0 = -inf once a logit is far above the others."""
FUNCTION = "masked_cross_entropy"
EDITS = [
    ('    log_p = torch.log_softmax(logits[mask], dim=1)  # stable: the largest logit is subtracted first',
     '    log_p = torch.log(torch.softmax(logits[mask], dim=1))'),
]
