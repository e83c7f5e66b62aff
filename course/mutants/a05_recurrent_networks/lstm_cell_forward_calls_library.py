"""Copies the weights into the course library's dlcourse.nn.LSTMCell and steps it instead of writing the gates."""
FUNCTION = "lstm_cell_forward"
EDITS = [
    ("    H = h.shape[1]\n"
     "    A = x @ W_ih.T + b_ih + h @ W_hh.T + b_hh  # (N, 4H): all four gates at once\n"
     "    A_i, A_f, A_g, A_o = A[:, :H], A[:, H:2 * H], A[:, 2 * H:3 * H], A[:, 3 * H:]\n"
     "    i = 1.0 / (1.0 + np.exp(-A_i))  # input gate\n"
     "    f = 1.0 / (1.0 + np.exp(-A_f))  # forget gate\n"
     "    g = np.tanh(A_g)  # candidate memory\n"
     "    o = 1.0 / (1.0 + np.exp(-A_o))  # output gate\n"
     "    c_next = f * c + i * g  # keep part of the old memory, add part of the candidate\n"
     "    h_next = o * np.tanh(c_next)\n"
     "    return h_next, c_next",
     "    cell = dlcourse.nn.LSTMCell(W_ih.shape[1], h.shape[1])\n"
     "    cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh = W_ih, W_hh, b_ih, b_hh\n"
     "    return cell.forward(x, (h, c))"),
]
