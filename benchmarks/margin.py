"""Proof of margin: every checked claim holds for other seeds than the one that was saved.

A checked cell that holds only for seed 0 on one CPU is a coin toss on a student's laptop.
`make margin` (``python benchmarks/run.py --seed-offsets 5 --cpu-variants avx2,default``) runs
every lecture and solution notebook

- once per offset k = 1 .. 5 with ``DLCOURSE_SEED_OFFSET=k``, which shifts every seed in the
  course at once (``seed_everything``, ``dlcourse.rng``, ``dlcourse.torch_generator`` and every
  seeded helper of the library): other data, other initial weights, other mini-batches;
- once per CPU variant with the seeds as committed, but with torch, oneDNN and OpenBLAS held to
  that instruction set (``avx2``: a laptop without AVX-512; ``default``: plain x86-64), which
  changes the order of floating-point sums as another CPU does,

and counts for each claim in how many runs it held:

- a lecture's claims are the lines its ``# NBVAL_CHECK_OUTPUT`` cells print, as saved in the
  notebook (what nbval compares); a line holds when the shifted run prints it unchanged;
- a solution's claims are its graded test cells (visible and hidden tests); one holds when
  the cell runs without an error.

Every figure reported with ``dlcourse.report`` is summarised as min / median / max over the
runs and held to its bound in targets.toml in every run.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field

CHECK_MARKER = "# NBVAL_CHECK_OUTPUT"
SECTION_START = "<!-- margin: written by `make margin`; a full `make bench` keeps it -->"
SECTION_END = "<!-- end of margin -->"


@dataclass
class Claim:
    """One checked line of a lecture, or one graded test cell of a solution."""

    cell: int     # index of the cell in the notebook
    text: str     # the saved line, or the test cell's grade id
    held: list[bool] = field(default_factory=list)  # one entry per run


# What the kernel is told to be another CPU: torch's vector kernels, oneDNN's and OpenBLAS's.
CPU_VARIANTS = {
    "avx2": {"ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2", "OPENBLAS_CORETYPE": "Haswell"},
    "default": {"ATEN_CPU_CAPABILITY": "default", "ONEDNN_MAX_CPU_ISA": "SSE41", "OPENBLAS_CORETYPE": "Prescott"},
}


def conditions(offsets: list[int], cpu_variants: list[str]) -> dict[str, dict[str, str]]:
    """{label: kernel environment} of every run: one per seed offset, one per CPU variant."""
    runs = {f"offset {k}": {"DLCOURSE_SEED_OFFSET": str(k)} for k in offsets}
    for name in cpu_variants:
        if name not in CPU_VARIANTS:
            raise ValueError(f"unknown CPU variant {name!r}; choose from {', '.join(CPU_VARIANTS)}")
        runs[f"{name} CPU"] = {"DLCOURSE_SEED_OFFSET": "0", **CPU_VARIANTS[name]}
    return runs


@dataclass
class MarginResult:
    """A notebook under several runs (seed offsets, CPU variants)."""

    path: str
    runs: list[str] = field(default_factory=list)                         # run labels, in order
    claims: list[Claim] = field(default_factory=list)
    figures: dict[str, list[float | None]] = field(default_factory=dict)  # name -> value per run
    errors: dict[str, list[str]] = field(default_factory=dict)            # run label -> failing cells
    wall: list[float] = field(default_factory=list)

    @property
    def weak(self) -> list[Claim]:
        """Claims that failed in at least one run."""
        return [c for c in self.claims if not all(c.held)]


# --- what a notebook claims ----------------------------------------------------------------

def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def printed_lines(cell) -> list[str]:
    """The non-empty lines a code cell printed (stdout and results; stderr and pictures are not claims)."""
    text = ""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stdout":
            chunk = output.get("text", "")
            text += "".join(chunk) if isinstance(chunk, list) else chunk
        elif output.get("output_type") == "execute_result":
            chunk = output.get("data", {}).get("text/plain", "")
            text += ("".join(chunk) if isinstance(chunk, list) else chunk) + "\n"
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def _is_graded_test(cell) -> bool:
    grading = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and grading.get("grade") is True and not grading.get("solution")


def saved_claims(notebook) -> list[Claim]:
    """The claims of a notebook as committed: checked lines, then graded test cells."""
    claims = []
    for index, cell in enumerate(notebook["cells"]):
        if cell.get("cell_type") == "code" and CHECK_MARKER in _source(cell):
            claims += [Claim(index, line) for line in printed_lines(cell)]
        elif _is_graded_test(cell):
            claims.append(Claim(index, cell["metadata"]["nbgrader"].get("grade_id", f"test cell {index}")))
    return claims


def claims_held(claims: list[Claim], executed, saved) -> list[bool]:
    """Whether each claim held in an executed copy of the saved notebook."""
    held, seen = [], {}
    for claim in claims:
        cell = executed["cells"][claim.cell]
        if _is_graded_test(saved["cells"][claim.cell]):
            held.append(not any(o.get("output_type") == "error" for o in cell.get("outputs", [])))
            continue
        position = seen[claim.cell] = seen.get(claim.cell, -1) + 1  # claims are a cell's lines in order
        lines = printed_lines(cell)
        held.append(position < len(lines) and lines[position] == claim.text)
    return held


# --- running ---------------------------------------------------------------------------------

def run_margin(root, relative: str, runs: dict[str, dict[str, str]], execute) -> MarginResult:
    """Run one notebook once per entry of `runs` ({label: kernel environment}).
    `execute(root, relative, env, allow_errors)` is the benchmark runner's executor; it returns
    the executed notebook, its figures and its errors."""
    import nbformat

    saved = nbformat.read(root / relative, as_version=4)
    result = MarginResult(relative, claims=saved_claims(saved))
    for run, (label, env) in enumerate(runs.items()):
        try:
            execution = execute(root, relative, env=env, allow_errors=True)
        except Exception as error:  # a kernel that dies: every claim of this run fails
            execution, held = None, [False] * len(result.claims)
            result.errors[label] = [str(error) or type(error).__name__]
        else:
            held = claims_held(result.claims, execution.notebook, saved)
            if execution.errors:
                result.errors[label] = list(execution.errors.values())
            result.wall.append(execution.wall)
        result.runs.append(label)
        for claim, ok in zip(result.claims, held):
            claim.held.append(ok)
        figures = execution.figures if execution else {}
        for name in [*result.figures, *(n for n in figures if n not in result.figures)]:
            result.figures.setdefault(name, [None] * run).append(figures.get(name))
    return result


# --- tables ----------------------------------------------------------------------------------

def _short(text: str, width: int = 110) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


SUMMARY_HEADER = ["notebook", "claims", "held in every run", "runs with a failing cell", "median s", "run on"]


def summary_rows(results: list[MarginResult], date: str = "") -> list[list[str]]:
    """Per notebook: claims, how many held in every run, runs with a failing cell, median seconds, the date."""
    rows = []
    for r in results:
        failing = len(r.errors)
        rows.append([r.path, str(len(r.claims)), f"{len(r.claims) - len(r.weak)} of {len(r.claims)}",
                     f"{failing} of {len(r.runs)}" if failing else "none",
                     f"{statistics.median(r.wall):.1f}" if r.wall else "-", date])
    return rows


def claim_rows(results: list[MarginResult], only_weak: bool = False) -> list[list[str]]:
    """Per claim: notebook, cell, the claim, in how many runs it held."""
    rows = []
    for r in results:
        for claim in (r.weak if only_weak else r.claims):
            rows.append([r.path.split("/")[-1].removesuffix(".ipynb"), str(claim.cell), _short(claim.text),
                         f"{sum(claim.held)} of {len(claim.held)}"])
    return rows


def spread_rows(results: list[MarginResult], targets: dict, meets, number) -> list[list[str]]:
    """Per reported figure: min, median, max over the runs, its bound, and whether every run met it."""
    rows = []
    for r in results:
        bounds = {k: v for k, v in targets.get("notebooks", {}).get(r.path, {}).items() if k != "seconds"}
        for name, values in r.figures.items():
            present = [v for v in values if v is not None]
            bound = bounds.get(name)
            verdict = "" if bound is None else (
                "ok" if len(present) == len(values) and all(meets(v, bound) for v in present)
                else f"MISS in {len(values) - sum(meets(v, bound) for v in present)} of {len(values)}")
            cells = ([number(min(present)), number(statistics.median(present)), number(max(present))]
                     if present else ["-", "-", "-"])
            rows.append([r.path.split("/")[-1].removesuffix(".ipynb"), name, *cells, bound or "", verdict])
    return rows


def misses(results: list[MarginResult], targets: dict, meets) -> list[str]:
    """Every way the margin run falls short, one line each (empty: every claim held everywhere)."""
    found = []
    for r in results:
        for label, errors in r.errors.items():
            found += [f"{r.path}, {label}: {e}" for e in errors]
        found += [f"{r.path} cell {c.cell}: {_short(c.text, 80)!r} held in {sum(c.held)} of {len(c.held)} runs"
                  for c in r.weak]
        bounds = {k: v for k, v in targets.get("notebooks", {}).get(r.path, {}).items() if k != "seconds"}
        for name, values in r.figures.items():
            bound = bounds.get(name)
            if bound is not None and not all(meets(v, bound) for v in values):
                found.append(f"{r.path}: {name} not {bound} in every run ({values})")
    return found


def report_section(results: list[MarginResult], targets: dict, info: dict, meets, number, format_table) -> str:
    """The Markdown section of RESULTS.md that a full margin run writes."""
    labels = results[0].runs if results else []
    found = misses(results, targets, meets)
    parts = [SECTION_START, "\n## Margin: every claim under other seeds and other CPUs\n",
             ", ".join(f"{k}: {v}" for k, v in info.items()) + "\n",
             f"Runs of every notebook: {', '.join(labels)}. A seed offset k sets `DLCOURSE_SEED_OFFSET=k`, "
             "which shifts every seed of the course; a CPU variant keeps the committed seeds and holds torch, "
             "oneDNN and OpenBLAS to that instruction set (`benchmarks/margin.py`). A lecture's claims are the "
             "lines its checked cells print; a solution's are its graded test cells. `make margin` writes this "
             "section; a margin run of some notebooks (`--only`) replaces their rows and keeps the others', "
             "each dated in the first table.\n",
             format_table(SUMMARY_HEADER, summary_rows(results, str(info.get("date", ""))), True),
             "\n### Spread of the reported figures\n",
             format_table(["notebook", "figure", "min", "median", "max", "target", "every run"],
                          spread_rows(results, targets, meets, number), True),
             "\n### Claims that did not hold in every run\n",
             "\n".join(f"- {m}" for m in found) if found else "none: every claim held in every run",
             "\n<details><summary>Every claim, with the runs it held in</summary>\n",
             format_table(["notebook", "cell", "claim", "held"], claim_rows(results), True),
             "\n</details>\n", SECTION_END]
    return "\n".join(parts) + "\n"


def replace_section(document: str, section: str) -> str:
    """`document` with its margin section replaced by `section` (appended if it had none)."""
    if SECTION_START in document and SECTION_END in document:
        head, rest = document.split(SECTION_START, 1)
        tail = rest.split(SECTION_END, 1)[1]
        return head + section.rstrip("\n") + tail
    return document.rstrip("\n") + "\n\n" + section


def _table_spans(lines: list[str]) -> list[tuple[int, int]]:
    """(first row, end) of the body of every Markdown table whose first column is the notebook."""
    spans, i = [], 0
    while i < len(lines):
        if lines[i].startswith("| notebook |") and i + 1 < len(lines) and lines[i + 1].startswith("|---"):
            end = i + 2
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            spans.append((i + 2, end))
            i = end
        else:
            i += 1
    return spans


def _first_cell(row: str) -> str:
    return row.split("|")[1].strip()


def merge_sections(old: str, new: str, paths: list[str]) -> str:
    """The section `new`, written by a margin run of `paths` only, with every other notebook's rows
    (and misses) kept from `old`, in notebook order. Old summary rows without a date get the old
    section's date."""
    run = set(paths) | {p.split("/")[-1].removesuffix(".ipynb") for p in paths}
    old_lines, new_lines = old.splitlines(), new.splitlines()
    old_date = next((line.split(",")[0].removeprefix("date:").strip() for line in old_lines
                     if line.startswith("date:")), "")
    old_spans, new_spans = _table_spans(old_lines), _table_spans(new_lines)
    if len(old_spans) != len(new_spans):
        return new  # an old section of another layout: start afresh
    width = len(SUMMARY_HEADER)
    merged_tables = []
    for number, ((o_start, o_end), (n_start, n_end)) in enumerate(zip(old_spans, new_spans)):
        kept = [row for row in old_lines[o_start:o_end] if _first_cell(row) not in run]
        if number == 0:
            kept = [row + f" {old_date} |" if row.count("|") == width else row for row in kept]
        rows = sorted(kept + new_lines[n_start:n_end], key=_first_cell)  # stable: a notebook's rows keep their order
        merged_tables.append(rows)
    out, position = [], 0
    for (n_start, n_end), rows in zip(new_spans, merged_tables):
        out += new_lines[position:n_start] + rows
        position = n_end
    out += new_lines[position:]
    # the misses: the old ones of notebooks not run, then the new ones
    def misses_of(lines):
        start = lines.index("### Claims that did not hold in every run") + 1
        end = next(i for i in range(start, len(lines)) if lines[i].startswith("<details>"))
        return start, end, [line for line in lines[start:end] if line.startswith("- ")]
    try:
        _, _, old_misses = misses_of(old_lines)
        start, end, new_misses = misses_of(out)
    except (ValueError, StopIteration):
        return "\n".join(out) + "\n"
    kept = [m for m in old_misses if not any(m.startswith(f"- {p}") for p in paths)]
    found = sorted(kept + new_misses)
    out[start:end] = ["", *(found or ["none: every claim held in every run"]), ""]
    return "\n".join(out) + "\n"


def old_section(document: str) -> str:
    """The margin section of a RESULTS.md, markers included, or ''."""
    if SECTION_START in document and SECTION_END in document:
        return SECTION_START + document.split(SECTION_START, 1)[1].split(SECTION_END, 1)[0] + SECTION_END
    return ""


def kept_section(document: str) -> str:
    """The margin section of an existing RESULTS.md, or '' (a full `make bench` keeps it)."""
    if SECTION_START in document and SECTION_END in document:
        return SECTION_START + document.split(SECTION_START, 1)[1].split(SECTION_END, 1)[0] + SECTION_END + "\n"
    return ""
