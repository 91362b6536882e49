"""The console script answers --version and --help without starting the interface."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tui import __version__
from tui.cli import main


def test_version_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"forum-tui {__version__}"


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for word in ("--demo", "read URL", "serve-demo", "accounts", "logout"):
        assert word in out


def printed_by(probe: str) -> str:
    """What a fresh interpreter running ``probe`` prints."""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_version_does_not_import_the_interface_or_http() -> None:
    probe = (
        "import sys\nfrom tui.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('textual', 'httpx', 'keyring') if m in sys.modules))"
    )
    assert printed_by(probe).endswith("[]")


def test_plain_start_opens_the_app_without_parsing_options() -> None:
    """``forum-tui`` alone goes straight to the app (last site, no demo): argparse is not loaded."""
    probe = (
        "import sys\nimport tui.launch\n"
        "tui.launch.run_app = lambda **options: print(sorted(options.items()), 'argparse' in sys.modules)\n"
        "from tui.cli import main\nmain([])"
    )
    assert printed_by(probe) == "[('demo', False), ('url', None)] False"
