"""Returns the mean log-density of the batch instead of one value per row."""
FUNCTION = "flow_log_prob"
EDITS = [
    ('    return log_base + total_log_det',
     '    return (log_base + total_log_det).mean()'),
]
