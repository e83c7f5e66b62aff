"""Perturbs x in place and never puts the entries back, so x ends eps lower everywhere (and later entries are measured at a shifted point)."""
FUNCTION = "gradient_check"
EDITS = [
    ("        original = x[i]\n"
     "        x[i] = original + eps",
     "        x[i] += eps"),
    ("        x[i] = original - eps\n"
     "        f_minus = float(f(x))\n"
     "        x[i] = original  # put the entry back before moving on",
     "        x[i] -= 2 * eps\n"
     "        f_minus = float(f(x))"),
]
