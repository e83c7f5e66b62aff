"""Adds the gradient from the next step into the caller's dh (dh[k - 1] += ...): right values, but dh is changed."""
FUNCTION = "rnn_backward"
EDITS = [
    ("        g = dh[k] + dh_from_next  # h_t reaches the loss directly and through h_(t+1)\n"
     "        delta = g * (1.0 - hs[k] ** 2)  # through the tanh: tanh'(a_t) = 1 - h_t^2",
     "        delta = dh[k] * (1.0 - hs[k] ** 2)"),
    ("        dh_from_next = delta @ W_hh  # (N, H) @ (H, H): one factor W_hh per step back\n"
     '    grads["h0"] = dh_from_next',
     "        if k > 0:\n"
     "            dh[k - 1] += delta @ W_hh\n"
     "        else:\n"
     '            grads["h0"] = delta @ W_hh'),
]
