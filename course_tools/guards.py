"""Course-wide guards over the notebooks, stored outputs included.

- :func:`test_data_in_training`: a test array (or anything computed from one) reaching ``fit(...)``,
  ``validation_data=``, a callback or a training step;
- :func:`unclean_outputs`: TensorFlow warnings, start-up logs, ANSI codes, widget reprs or absolute
  paths in the stored outputs;
- :func:`unbacked_prose_numbers`: a decimal, percentage or "N times" ratio in the prose that no output
  of the same notebook prints.
"""

from __future__ import annotations

import ast
import re

from course_tools.notebook_io import cell_source, heading_level, python_code

# -- 1. the test split never trains, validates or steers training -------------------------------------

TEST_NAME = re.compile(r"(?:^|_)test(?:s)?(?:_|$)")
TRAINING_CALLS = {"fit", "train_on_batch", "fit_generator"}
TRAINING_KEYWORDS = {"validation_data", "callbacks"}


def _names(node: ast.AST) -> set[str]:
    """Every variable and attribute name read inside ``node``."""
    found = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            found.add(child.id)
        elif isinstance(child, ast.Attribute):
            found.add(child.attr)
    return found


def _targets(node: ast.AST) -> set[str]:
    return {child.id for child in ast.walk(node) if isinstance(child, ast.Name)}


def _is_test_name(name: str) -> bool:
    return bool(TEST_NAME.search(name))


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def test_data_in_training(sources: list[str]) -> list[str]:
    """Where a test array reaches training, in a notebook's code cells (``sources``, in order).

    The cells are followed in order, as the kernel runs them. A name is a test array when it says so
    (``x_test``, ``faces.x_test``, ``fashion_test``, ``test_images``) or was last assigned from an
    expression that reads one (``noisy = add_noise(x_test)``); a function or class is tainted when its
    body reads one. Flagged: any argument of ``.fit(...)``,
    ``.train_on_batch(...)`` or of a call whose name contains ``train_step``, and any
    ``validation_data=`` or ``callbacks=`` value, that reads a test array.
    """
    trees = []
    for index, source in enumerate(sources):
        try:
            trees.append((index, ast.parse(python_code(source))))
        except SyntaxError as error:
            raise ValueError(
                f"code cell {index}: not valid Python ({error.msg}, line {error.lineno})"
            ) from None

    tainted: set[str] = set()
    problems: list[str] = []

    def reads_test(node: ast.AST) -> bool:
        return any(_is_test_name(name) or name in tainted for name in _names(node))

    def assign(target: ast.AST, value: ast.AST) -> None:
        if (
            isinstance(target, (ast.Tuple, ast.List))
            and isinstance(value, (ast.Tuple, ast.List))
            and len(target.elts) == len(value.elts)
        ):
            for one_target, one_value in zip(target.elts, value.elts, strict=True):
                assign(one_target, one_value)
        elif reads_test(value):
            tainted.update(_targets(target))
        else:  # a clean value replaces whatever the name held before
            tainted.difference_update(_targets(target))

    def check_calls(node: ast.AST, index: int) -> None:
        for call in ast.walk(node):
            if not isinstance(call, ast.Call):
                continue
            name = _call_name(call)
            line = f"code cell {index}, line {call.lineno}"
            if (name in TRAINING_CALLS or "train_step" in name) and any(map(reads_test, call.args)):
                problems.append(f"{line}: a test array reaches {name}(...)")
            for keyword in call.keywords:
                if keyword.arg in TRAINING_KEYWORDS and reads_test(keyword.value):
                    problems.append(f"{line}: a test array reaches {keyword.arg}=")
                elif name in TRAINING_CALLS and keyword.arg in {"x", "y"} and reads_test(keyword.value):
                    problems.append(f"{line}: a test array reaches {name}({keyword.arg}=...)")

    def run(statements: list[ast.stmt], index: int) -> None:
        """Follow statements in order, as the kernel runs them: check each one's training calls against what
        is tainted at that point, then update the taint. A function body is its own scope: a function or
        class is tainted as a whole when it reads a test array. A loop body runs twice, so that a name it
        taints late reaches the calls at its top."""
        for node in statements:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                check_calls(node, index)
                if reads_test(node):
                    tainted.add(node.name)
                continue
            bodies = [
                getattr(node, field)
                for field in ("body", "orelse", "finalbody", "handlers")
                if isinstance(getattr(node, field, None), list)
            ]
            if not bodies:
                check_calls(node, index)
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        assign(target, node.value)
                elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and node.value is not None:
                    assign(node.target, node.value)
                continue
            for field in ("test", "iter", "subject"):  # what the compound statement itself evaluates
                if getattr(node, field, None) is not None:
                    check_calls(getattr(node, field), index)
            for item in getattr(node, "items", []):
                check_calls(item, index)
            loops = isinstance(node, (ast.For, ast.AsyncFor, ast.While))
            for _ in range(2 if loops else 1):
                if isinstance(node, (ast.For, ast.AsyncFor)):
                    assign(node.target, node.iter)
                for body in bodies:
                    run(body, index)

    for index, tree in trees:
        run(tree.body, index)
    return list(dict.fromkeys(problems))  # a loop body is checked twice


# -- 2. clean stored outputs ---------------------------------------------------------------------------

UNCLEAN = (
    (re.compile(r"WARNING:tensorflow"), "a TensorFlow warning"),
    (re.compile(r"retracing", re.IGNORECASE), "a retracing warning"),
    (re.compile(r"absl::|^[IWEF]\d{4} \d\d:\d\d:\d\d", re.MULTILINE), "an absl start-up log line"),
    (re.compile(r"oneDNN|cpu_feature_guard|This TensorFlow binary is optimized"), "a oneDNN / CPU log"),
    (re.compile(r"cuda|cuDNN|cuBLAS|cuFFT|TensorRT|GPU will not be used", re.IGNORECASE), "a CUDA log"),
    (re.compile(r"\x1b\["), "an ANSI escape code"),
    (
        re.compile(r"^(?:V|H)Box\(children=|^interactive\(children=|^\w+(?:Slider|Dropdown)\(", re.MULTILINE),
        "the text repr of a widget",
    ),
    (
        re.compile(r"(?<![\w.~])/(?:work|home|tmp|root|Users|usr/local|opt|var|mnt|content)/"),
        "an absolute path of the machine that ran it",
    ),
    (re.compile(r"[A-Za-z]:\\\\?(?:Users|Windows)"), "an absolute Windows path"),
    (re.compile(r"<[\w.]+(?: object)? at 0x[0-9a-fA-F]+>"), "an object's repr with a memory address"),
    (re.compile(r"^<(?:tf\.Tensor|tf\.Variable|KerasVariable)\b", re.MULTILINE), "a tensor's repr"),
)
STRAY_VALUE = re.compile(r"^\s*-?\d+(?:\.\d+)?(?:e[+-]?\d+)?\s*$")  # a number a cell's last line displayed


TEXT_MIMES = ("text/plain", "text/html", "text/markdown")


def output_texts(output, mimes: tuple[str, ...] = TEXT_MIMES) -> list[str]:
    """The text an output shows: stream text, an error's traceback and its data of the ``mimes`` types."""
    kind = output.get("output_type")
    if kind == "stream":
        text = output.get("text", "")
        return ["".join(text) if isinstance(text, list) else text]
    if kind == "error":
        return ["\n".join(output.get("traceback", []))]
    texts = []
    for mime in mimes:
        value = output.get("data", {}).get(mime)
        if value is not None:
            texts.append("".join(value) if isinstance(value, list) else value)
    return texts


def unclean_outputs(notebook) -> list[str]:
    """What should not be in ``notebook``'s stored outputs, one line each: cell, what, the line."""
    problems = []
    for index, cell in enumerate(notebook["cells"]):
        for output in cell.get("outputs", []):
            shown = output.get("data", {}).get("text/plain", "")
            shown = "".join(shown) if isinstance(shown, list) else shown
            if output.get("output_type") == "execute_result" and STRAY_VALUE.match(shown):
                problems.append(
                    f"cell {index}: a stray value shown by the cell's last line: {shown.strip()!r} "
                    "(end the line with ; or print it with words)"
                )
            for text in output_texts(output):
                for pattern, what in UNCLEAN:
                    match = pattern.search(text)
                    if match:
                        start = text.rfind("\n", 0, match.start()) + 1
                        end = text.find("\n", match.end())
                        shown = text[start : end if end >= 0 else len(text)].strip()[:120]
                        problems.append(f"cell {index}: {what}: {shown!r}")
    return problems


# -- 3. numbers in the prose come from the run ---------------------------------------------------------

NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
CLAIMED_NUMBERS = re.compile(
    rf"(?<![\w.])(?P<decimal>\d+(?:,\d{{3}})*\.\d+)(?![\w.]*\d)"  # 0.0138, 24.5, 1,234.5
    rf"|(?<![\w.])(?P<percent>{NUMBER})\s?%"  # 45%, 4.5 %
    rf"|(?<![\w.])(?P<times>{NUMBER})\s?(?:x|×|times)(?![\w])"  # 3x, 2.5 times
)
CITATION = re.compile(
    r"et al\.?|arXiv|doi\.org|\bpaper\b|\bproceedings\b|\bjournal\b|\b(?:19|20)\d\d\b",  # a year: the sentence cites
    re.IGNORECASE,
)
INLINE_CODE = re.compile(r"`[^`]*`")
LINK_TARGET = re.compile(r"\]\([^)]*\)|<https?://[^>]*>|https?://\S+")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(*_])|\n\s*\n|\n\s*[-*]\s|\n\s*\d+\.\s|\n\s*\|")


def _sentences(text: str) -> list[str]:
    return [piece for piece in SENTENCE_END.split(text) if piece.strip()]


def prose_numbers(markdown: str) -> list[str]:
    """The numbers a markdown cell claims: decimals, percentages and "N times" / "Nx" ratios, outside
    inline code, link targets, headings and sentences that cite a paper."""
    found = []
    text = "\n".join(line for line in markdown.splitlines() if not heading_level(line))
    text = LINK_TARGET.sub("]", INLINE_CODE.sub(" ", text))
    for sentence in _sentences(text):
        if CITATION.search(sentence):
            continue
        for match in CLAIMED_NUMBERS.finditer(sentence):
            found.append(next(value for value in match.groupdict().values() if value))
    return found


def _number_in(number: str, outputs: str) -> bool:
    """``number`` appears in ``outputs`` as a number with the same digits (not inside a longer one)."""
    plain = number.replace(",", "")
    return any(re.search(rf"(?<![\d.]){re.escape(form)}(?!\.?\d)", outputs) for form in {number, plain})


def unbacked_prose_numbers(notebook) -> list[str]:
    """Every number the prose of ``notebook`` claims that no output of it prints with the same rounding.

    Sections titled "Further reading" (the references) are exempt, as are sentences that cite a paper.
    """
    outputs = "\n".join(
        text
        for cell in notebook["cells"]
        for output in cell.get("outputs", [])
        for text in output_texts(output)
    )
    problems = []
    in_references = False
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        source = cell_source(cell)
        for line in source.splitlines():
            if heading_level(line) and heading_level(line) <= 2:
                in_references = "further reading" in line.lower()
        if in_references:
            continue
        for number in prose_numbers(source):
            if not _number_in(number, outputs):
                problems.append(f"markdown cell {index}: {number!r} is printed by no output")
    return problems
