import subprocess
import sys
from pathlib import Path

from course_tools import notebook_io

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_is_clean_on_the_package_tests_and_notebooks():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "course_utils", "tests", "notebooks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_star_imports_or_path_hacks_in_notebooks():
    for path in notebook_io.notebook_paths(ROOT / "notebooks"):
        text = path.read_text(encoding="utf-8")
        assert "import *" not in text and "sys.path" not in text, path.name
        assert "tf_keras" not in text and "TF_USE_LEGACY_KERAS" not in text and "disable_eager" not in text, (
            path.name
        )
