"""Subtracts the log-determinants instead of adding them."""
FUNCTION = "flow_log_prob"
EDITS = [
    ('    return log_base + total_log_det',
     '    return log_base - total_log_det'),
]
