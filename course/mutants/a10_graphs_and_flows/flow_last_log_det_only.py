"""Keeps only the last layer's log-determinant instead of adding them up."""
FUNCTION = "flow_log_prob"
EDITS = [
    ('        total_log_det = total_log_det + log_det  # change of variables: the log-determinants add up',
     '        total_log_det = log_det'),
]
