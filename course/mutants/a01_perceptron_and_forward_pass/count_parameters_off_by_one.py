"""Off-by-one loop bound, range(len(widths) - 2), which skips the output layer."""
FUNCTION = "count_parameters"
EDITS = [
    ("    return int(sum(d_in * d_out + d_out for d_in, d_out in zip(widths[:-1], widths[1:])))",
     "    total = 0\n"
     "    for l in range(len(widths) - 2):\n"
     "        total += widths[l] * widths[l + 1] + widths[l + 1]\n"
     "    return total"),
]
