"""Averages the squares of z over the coordinates instead of summing them."""
FUNCTION = "flow_log_prob"
EDITS = [
    ('    log_base = -0.5 * (h ** 2).sum(dim=1) - 0.5 * n * math.log(2 * math.pi)  # log N(z; 0, I)',
     '    log_base = -0.5 * (h ** 2).mean(dim=1) - 0.5 * n * math.log(2 * math.pi)'),
]
