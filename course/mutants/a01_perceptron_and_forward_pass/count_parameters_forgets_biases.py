"""Counts only the weights d_(l-1) * d_l and forgets the d_l biases of each layer."""
FUNCTION = "count_parameters"
EDITS = [
    ("    return int(sum(d_in * d_out + d_out for d_in, d_out in zip(widths[:-1], widths[1:])))",
     "    return sum(d_in * d_out for d_in, d_out in zip(widths[:-1], widths[1:]))"),
]
