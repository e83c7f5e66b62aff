"""The stub a student sees names the function and its whole signature, and stays valid Python."""
import ast

import nbformat
import pytest

from dlcourse.grading.stubs import NamedClearSolutions, stub_for

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def _released_source(source: str) -> str:
    cell = nbformat.v4.new_code_cell(source, metadata={"nbgrader": {"solution": True, "grade": False,
                                                                    "grade_id": "f", "locked": False,
                                                                    "schema_version": 3, "task": False}})
    nb = nbformat.v4.new_notebook(cells=[cell], metadata={"kernelspec": {"language": "python", "name": "python3", "display_name": "Python 3"}})
    nb, _ = NamedClearSolutions().preprocess(nb, {})
    return nb.cells[0].source


@pytest.mark.parametrize("signature, shown", [
    ("x", "x"),
    ("x, state=()", "x, state=()"),
    ("x, sep=')'", "x, sep=')'"),
    ("x,\n    shape=(2, 3),\n    scale=1.0,\n", "x, shape=(2, 3), scale=1.0"),
    ("x: 'np.ndarray', *, eps=1e-6", "x: 'np.ndarray', *, eps=1e-6"),
])
def test_stub_names_the_whole_signature(signature, shown):
    released = _released_source(f"def f({signature}) -> float:\n    {BEGIN}\n    return 1.0\n    {END}\n")
    assert f'raise NotImplementedError("Implement f({shown}) as its docstring describes' in released
    ast.parse(released)  # the released cell still runs


def test_stub_escapes_double_quotes_in_defaults():
    released = _released_source(f'def join(parts, sep=", "):\n    {BEGIN}\n    return sep.join(parts)\n    {END}\n')
    tree = ast.parse(released)
    message = next(node for node in ast.walk(tree) if isinstance(node, ast.Constant) and "Implement" in str(node.value))
    assert message.value.startswith('Implement join(parts, sep=", ")')


def test_stub_belongs_to_the_last_def_before_the_region():
    source = f"def helper(a):\n    return a\n\n\ndef target(b, c=(1,)):\n    {BEGIN}\n    return b\n    {END}\n"
    assert "Implement target(b, c=(1,))" in _released_source(source)


def test_a_region_outside_any_function_gets_the_plain_stub():
    assert _released_source(f"{BEGIN}\nx = 1\n{END}\n").strip() == stub_for(None, None)


def test_each_method_of_a_class_gets_its_own_stub():
    source = (f"class Buffer:\n    \"\"\"doc\"\"\"\n\n    def __init__(self, capacity):\n        {BEGIN}\n        self.items = []\n        {END}\n\n"
              f"    def push(self, item):\n        {BEGIN}\n        self.items.append(item)\n        {END}\n\n"
              f"    def __len__(self):\n        {BEGIN}\n        return len(self.items)\n        {END}\n")
    released = _released_source(source)
    stubs = [line.strip() for line in released.splitlines() if "NotImplementedError" in line]
    assert [stub.split(" as its")[0] for stub in stubs] == [
        'raise NotImplementedError("Implement __init__(self, capacity)',
        'raise NotImplementedError("Implement push(self, item)',
        'raise NotImplementedError("Implement __len__(self)',
    ]
    assert "self.items" not in released
    ast.parse(released)
