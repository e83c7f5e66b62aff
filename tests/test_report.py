import json

import numpy as np
import pytest
import torch

from dlcourse import report


def test_report_prints_name_and_value_with_fixed_decimals(capsys, monkeypatch):
    monkeypatch.delenv("DLCOURSE_METRICS", raising=False)
    assert report("test accuracy", 0.97123456) == pytest.approx(0.97123456)
    report("epochs", 12)
    assert capsys.readouterr().out == "test accuracy: 0.9712\nepochs: 12\n"


def test_report_turns_numpy_and_torch_scalars_into_plain_numbers(capsys):
    assert type(report("a", np.float32(0.5))) is float
    assert type(report("b", torch.tensor(3))) is int
    assert capsys.readouterr().out == "a: 0.5000\nb: 3\n"


def test_report_appends_json_lines_when_metrics_file_is_named(tmp_path, monkeypatch, capsys):
    metrics = tmp_path / "metrics.jsonl"
    monkeypatch.setenv("DLCOURSE_METRICS", str(metrics))
    monkeypatch.setenv("DLCOURSE_NOTEBOOK", "lectures/01_learning_from_data.ipynb")
    report("test accuracy", 0.5)
    report("mean return", 480.0)
    lines = [json.loads(line) for line in metrics.read_text().splitlines()]
    assert lines == [
        {"notebook": "lectures/01_learning_from_data.ipynb", "name": "test accuracy", "value": 0.5},
        {"notebook": "lectures/01_learning_from_data.ipynb", "name": "mean return", "value": 480.0},
    ]


def test_report_writes_no_file_without_metrics_variable(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("DLCOURSE_METRICS", raising=False)
    monkeypatch.chdir(tmp_path)
    report("loss", 0.1)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("bad", [np.array([0.1, 0.2]), "0.9", None, [1]])
def test_report_rejects_anything_but_one_number(bad):
    with pytest.raises(TypeError, match="single number"):
        report("accuracy", bad)


def test_report_rejects_an_empty_name():
    with pytest.raises(ValueError, match="non-empty string"):
        report("  ", 1.0)


def test_report_refuses_a_name_that_is_not_a_string_with_a_type_error():
    with pytest.raises(TypeError, match=r"^report expects name to be a non-empty string such as 'test accuracy'; "
                                        r"got int\.$"):
        report(3, 1.0)
