"""A scalar reverse-mode automatic differentiation engine, ``Value`` (lecture 04).

Every arithmetic operation on ``Value`` objects records its inputs and a rule for its
local derivative, so an expression builds a computation graph as it is evaluated.
``backward()`` then walks that graph from the output to the inputs in reverse topological
order and applies the chain rule at every node::

    child.grad += local_derivative * node.grad      # dL/dchild = sum over paths

The ``+=`` is what makes a value used twice (x * x) receive the sum of both paths.

    x = Value(2.0, "x"); w = Value(-3.0, "w"); b = Value(1.0, "b")
    y = (w * x + b).tanh()
    y.backward()                  # x.grad == dy/dx, w.grad == dy/dw, b.grad == dy/db
    draw_graph(y)                 # the graph, drawn with matplotlib

The idea and its size follow Karpathy's micrograd; PyTorch's autograd does the same on
tensors (Paszke et al. 2017). Gradients of the values you create yourself (the leaves)
accumulate over calls of ``backward``, as in torch: set ``v.grad = 0.0`` between steps.
"""
from __future__ import annotations

import math
import numbers

from .._validation import check_instance, check_real

__all__ = ["Value", "draw_graph"]

_REAL = "a finite real number (int or float)"


class Value:
    """One scalar in a computation graph: its value ``data`` and the gradient ``grad`` of the
    output of the last ``backward`` with respect to it.

    data: a real number; label: a name shown by ``draw_graph`` (optional).
    Operators with other Values or plain numbers: + - * / ** (number exponent), unary -.
    Functions: exp, log, tanh, relu, sigmoid.
    ``_prev`` holds the Values it was computed from, ``_op`` the operation's name.
    """

    def __init__(self, data, label: str = "", _children=(), _op: str = ""):
        # an operation's result may overflow to inf (exp of 1000); a number you give must be finite
        self.data = float(data) if _children else check_real(data, "data", "Value", allowed=_REAL)
        self.label = check_instance(label, "label", "Value", str, "a string such as 'x'")
        self.grad = 0.0
        self._backward = lambda: None  # adds this node's contribution to its children's grads
        self._prev = tuple(_children)
        self._op = _op

    def __repr__(self) -> str:
        name = f"label={self.label!r}, " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"

    @staticmethod
    def _wrap(other, op: str) -> "Value":
        if isinstance(other, Value):
            return other
        if isinstance(other, bool) or not isinstance(other, numbers.Real):
            raise TypeError(f"Value supports {op} with numbers or other Values; got {type(other).__name__} "
                            f"{other!r}.")
        return Value(other)

    # ------------------------------------------------------------------ arithmetic
    def __add__(self, other):
        other = self._wrap(other, "+")
        out = Value(self.data + other.data, _children=(self, other), _op="+")

        def _backward():
            self.grad += out.grad  # d(a + b)/da = 1
            other.grad += out.grad

        out._backward = _backward
        return out

    def __sub__(self, other):
        other = self._wrap(other, "-")
        out = Value(self.data - other.data, _children=(self, other), _op="-")

        def _backward():
            self.grad += out.grad  # d(a - b)/da = 1, d(a - b)/db = -1
            other.grad -= out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = self._wrap(other, "*")
        out = Value(self.data * other.data, _children=(self, other), _op="*")

        def _backward():
            self.grad += other.data * out.grad  # d(a b)/da = b
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __truediv__(self, other):
        other = self._wrap(other, "/")
        if other.data == 0:
            raise ZeroDivisionError(f"Value division by zero: the denominator of {self.data:g} / ... is 0.")
        out = Value(self.data / other.data, _children=(self, other), _op="/")

        def _backward():
            self.grad += out.grad / other.data  # d(a/b)/da = 1/b
            other.grad -= self.data / other.data**2 * out.grad  # d(a/b)/db = -a/b^2

        out._backward = _backward
        return out

    def __pow__(self, exponent):
        if isinstance(exponent, Value) or isinstance(exponent, bool) or not isinstance(exponent, numbers.Real):
            raise TypeError(f"Value ** expects a plain number as exponent (x ** 2, x ** -1); got "
                            f"{type(exponent).__name__}. For a Value exponent write (y * x.log()).exp().")
        k = float(exponent)
        if self.data == 0 and k < 0:
            raise ZeroDivisionError(f"Value ** {exponent:g} is undefined at 0 (division by zero).")
        if self.data < 0 and not k.is_integer():
            raise ValueError(f"Value ** {exponent:g} needs a non-negative base; got {self.data:g} "
                             "(a fractional power of a negative number is not real).")
        out = Value(self.data**k, _children=(self,), _op=f"**{exponent:g}")

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad  # d(x^k)/dx = k x^(k-1)

        out._backward = _backward
        return out

    def __neg__(self):
        out = Value(-self.data, _children=(self,), _op="neg")

        def _backward():
            self.grad -= out.grad

        out._backward = _backward
        return out

    def __radd__(self, other):  # 2 + x
        return self._wrap(other, "+") + self

    def __rsub__(self, other):  # 2 - x
        return self._wrap(other, "-") - self

    def __rmul__(self, other):  # 2 * x
        return self._wrap(other, "*") * self

    def __rtruediv__(self, other):  # 2 / x
        return self._wrap(other, "/") / self

    def __rpow__(self, base):
        raise TypeError("Value supports only number ** exponents on a Value base (x ** 2); for a ** x "
                        "write (x * math.log(a)).exp().")

    # ------------------------------------------------------------------ functions
    def exp(self):
        try:
            e = math.exp(self.data)
        except OverflowError:  # above ~709.78 e^x exceeds the largest float
            e = math.inf
        out = Value(e, _children=(self,), _op="exp")

        def _backward():
            self.grad += out.data * out.grad  # d e^x/dx = e^x

        out._backward = _backward
        return out

    def log(self):
        if self.data <= 0:
            raise ValueError(f"Value.log expects a positive number; got {self.data:g}.")
        out = Value(math.log(self.data), _children=(self,), _op="log")

        def _backward():
            self.grad += out.grad / self.data  # d log x/dx = 1/x

        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, _children=(self,), _op="tanh")

        def _backward():
            self.grad += (1.0 - t**2) * out.grad  # d tanh/dx = 1 - tanh^2

        out._backward = _backward
        return out

    def relu(self):
        out = Value(max(self.data, 0.0), _children=(self,), _op="relu")

        def _backward():
            self.grad += (self.data > 0) * out.grad  # 1 for x > 0, 0 otherwise (also at 0, as torch)

        out._backward = _backward
        return out

    def sigmoid(self):
        # e^-|x| <= 1 cannot overflow, unlike e^-x for x below about -709
        e = math.exp(-abs(self.data))
        s = 1.0 / (1.0 + e) if self.data >= 0 else e / (1.0 + e)
        out = Value(s, _children=(self,), _op="sigmoid")

        def _backward():
            self.grad += s * (1.0 - s) * out.grad  # d sigma/dx = sigma (1 - sigma)

        out._backward = _backward
        return out

    # ------------------------------------------------------------------ backpropagation
    def backward(self, grad: float = 1.0):
        """Backpropagate from this Value: afterwards every node's ``grad`` holds d(self)/d(node),
        times ``grad`` (default 1).

        Leaves (no ``_prev``) add to the gradient they already hold; intermediate nodes
        start again from 0, so calling backward twice doubles the leaves' gradients, as in torch.
        """
        grad = check_real(grad, "grad", "Value.backward", allowed=_REAL)
        order = _topological_order(self)
        for node in order:
            if node._prev:
                node.grad = 0.0
        self.grad += grad
        for node in reversed(order):  # every node after all the nodes that use it
            node._backward()


def _topological_order(root: Value) -> list[Value]:
    """All nodes of root's graph, each after its children (inputs); root last.

    Iterative depth-first search: a recursive one hits Python's recursion limit
    (about 1,000 frames) on long chains such as a sum of many terms.
    """
    order, visited = [], set()
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node._prev) if id(child) not in visited)
    return order


# ---------------------------------------------------------------------- drawing
def draw_graph(root: Value, ax=None, digits: int = 4):
    """Draw the computation graph of ``root`` left to right, inputs on the left.

    Each Value is a box with its label, data and grad; each operation is a circle between
    the Values it combines and its result. Nodes sit in columns by depth (the longest path
    from an input); drawn with matplotlib alone, so no Graphviz installation is needed.
    ax: Axes to draw into, or None for a new figure sized to the graph.
    Returns the Axes.
    """
    import matplotlib.pyplot as plt  # only drawing needs matplotlib; the engine stays light
    from matplotlib.patches import Circle, FancyBboxPatch

    if not isinstance(root, Value):
        raise TypeError(f"draw_graph expects a Value, the output of an expression; got {type(root).__name__}.")
    order = _topological_order(root)
    if len(order) > 200:
        raise ValueError(f"draw_graph draws graphs of at most 200 nodes legibly; this one has {len(order)}.")

    depth = {}
    for node in order:  # children come first, so their depths are known
        depth[id(node)] = 1 + max((depth[id(c)] for c in node._prev), default=-1)

    # Rows: inputs get consecutive rows in the order a depth-first walk from the root meets
    # them; every other node sits at the mean row of its inputs, which keeps edges short.
    row, next_row = {}, [0.0]

    def place(node):
        stack = [(node, False)]
        while stack:
            current, children_done = stack.pop()
            if id(current) in row:
                continue
            if not current._prev:
                row[id(current)] = next_row[0]
                next_row[0] += 1.0
            elif children_done:
                row[id(current)] = sum(row[id(c)] for c in current._prev) / len(current._prev)
            else:
                stack.append((current, True))
                stack.extend((c, False) for c in reversed(current._prev))

    place(root)
    _separate_rows(order, depth, row)

    box_w, box_h, x_step = 1.7, 0.62, 2.9
    if ax is None:
        columns = max(depth.values()) + 1
        height = max(row.values()) - min(row.values()) + 1
        _, ax = plt.subplots(figsize=(min(2.4 * columns + 0.5, 18), min(0.85 * height + 0.6, 14)),
                             layout="constrained")
    position = {id(n): (x_step * depth[id(n)], -row[id(n)]) for n in order}

    for node in order:
        x, y = position[id(node)]
        text = (f"{node.label}\n" if node.label else "") + \
            f"data {node.data:.{digits}g}\ngrad {node.grad:.{digits}g}"
        colour = "#dbe9f6" if not node._prev else "#f5f5f5"
        ax.add_patch(FancyBboxPatch((x - box_w / 2, y - box_h / 2), box_w, box_h, boxstyle="round,pad=0.04",
                                    facecolor=colour, edgecolor="0.3", linewidth=0.8, zorder=2))
        ax.text(x, y, text, ha="center", va="center", fontsize=7.5, zorder=3)
        if node._prev:  # the operation that made this node, in a circle to its left
            ox, oy = x - box_w / 2 - 0.42, y
            ax.add_patch(Circle((ox, oy), 0.24, facecolor="#fff2cc", edgecolor="0.3", linewidth=0.8, zorder=2))
            ax.text(ox, oy, node._op, ha="center", va="center", fontsize=7 if len(node._op) <= 4 else 5.5,
                    zorder=3)
            ax.plot([ox + 0.24, x - box_w / 2 - 0.04], [oy, oy], color="0.3", lw=0.8, zorder=1)
            for child in node._prev:
                cx, cy = position[id(child)]
                ax.annotate("", xy=(ox - 0.24, oy), xytext=(cx + box_w / 2 + 0.04, cy),
                            arrowprops=dict(arrowstyle="->", color="0.35", lw=0.8, shrinkA=0, shrinkB=0), zorder=1)
    xs = [p[0] for p in position.values()]
    ys = [p[1] for p in position.values()]
    ax.set_xlim(min(xs) - box_w / 2 - 0.2, max(xs) + box_w / 2 + 0.2)
    ax.set_ylim(min(ys) - box_h, max(ys) + box_h)
    ax.set_aspect("auto")
    ax.axis("off")
    return ax


def _separate_rows(order, depth, row, gap: float = 1.0):
    """Push apart nodes of one column whose rows are closer than ``gap`` (boxes would overlap)."""
    columns = {}
    for node in order:
        columns.setdefault(depth[id(node)], []).append(node)
    for nodes in columns.values():
        nodes.sort(key=lambda n: row[id(n)])
        for above, below in zip(nodes, nodes[1:]):
            if row[id(below)] - row[id(above)] < gap:
                row[id(below)] = row[id(above)] + gap
