"""User settings (TOML at the platform's config location) and where files live.

Nothing secret is ever stored here: passwords and session cookies live in the OS keyring
(``tui.credentials``). A config file with a mistake never stops the app: the error is kept
(with its line) for the interface to show, and the defaults apply.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import PlatformDirs

from tui.files import write_text_whole

APP_NAME = "forum-tui"
DEFAULT_TIMEOUT = 30.0  # seconds one request to a forum may take in all (app and ``read``)

_dirs = PlatformDirs(APP_NAME, appauthor=False)

DEFAULT_CONFIG = """\
# forum-tui settings. Every key is optional: remove the "# " before one to change it.
# The values shown are the defaults.

# Theme: any Textual theme name, e.g. "textual-dark", "textual-light", "nord", "gruvbox".
# theme = "textual-dark"

# Show images inline where the terminal can draw them. false = data saver.
# images = true

# Posts per page asked of the forum (the forum may cap it). 0 = the forum's default.
# posts_per_page = 0

# Threads per page in a board. 0 = the forum's default.
# threads_per_page = 0

# Seconds one request to the forum may take in all (connecting, retries, the whole answer)
# before it is given up with a message. Esc cancels any wait sooner.
# timeout = 30

# Times: "local" = your computer's time zone, "forum" = the forum's own (as its web pages show).
# time_zone = "local"

# Reading mode: floors' text only, numbered, no author lines or cards (also a key and the palette).
# reading_mode = false

# Minutes between quiet checks for new notifications and messages (status bar). 0 = off.
# refresh_minutes = 5

# Megabytes of disk for the pages kept for going back and offline reading (boards, thread
# lists, thread pages; never a password or cookie). The least recently read go first.
# cache_mb = 50

# Key bindings: action = "keys" (comma-separated). See README.md for the action names.
[keys]
# next_floor = "],ctrl+n"
"""


def config_dir() -> Path:
    return Path(_dirs.user_config_dir)


def data_dir() -> Path:
    return Path(_dirs.user_data_dir)


def demo_data_dir() -> Path:
    """Where ``--demo`` keeps its forum between runs, so what is saved about it stays valid."""
    return data_dir() / "demo-forum"


def cache_dir() -> Path:
    return Path(_dirs.user_cache_dir)


def downloads_dir() -> Path:
    """The user's Downloads folder (created when missing), for attachments and exports."""
    folder = Path(_dirs.user_downloads_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def unused_path(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name (2)``, ``name (3)``… when taken; ``name`` made safe as one file name."""
    safe = "".join("_" if char in '/\\:*?"<>|' or ord(char) < 32 else char for char in name).strip(". ")
    safe = safe[:150] or "download"
    stem, dot, suffix = safe.rpartition(".") if "." in safe else (safe, "", "")
    candidate, number = folder / safe, 1
    while candidate.exists():
        number += 1
        candidate = folder / (f"{stem} ({number}){dot}{suffix}")
    return candidate


def config_path() -> Path:
    return config_dir() / "config.toml"


@dataclass(slots=True)
class Settings:
    theme: str = "textual-dark"
    images: bool = True
    posts_per_page: int = 0
    threads_per_page: int = 0
    timeout: float = DEFAULT_TIMEOUT
    time_zone: str = "local"  # "local" or "forum"
    reading_mode: bool = False
    refresh_minutes: float = 5
    cache_mb: int = 50  # disk kept for saved pages (``tui.saved``)
    keys: dict[str, str] = field(default_factory=dict)
    problem: str = ""  # a human sentence when the file could not be used as written


TIME_ZONES = ("local", "forum")
_TYPES = (
    ("theme", str),
    ("images", bool),
    ("posts_per_page", int),
    ("threads_per_page", int),
    ("time_zone", str),
    ("reading_mode", bool),
    ("cache_mb", int),
)


def _checked(raw: dict[str, object], settings: Settings) -> Settings:
    """Copy recognised keys of the right type; note the first wrong one."""
    problems: list[str] = []
    for name, kind in _TYPES:
        if name not in raw:
            continue
        value = raw[name]
        if name == "time_zone" and value not in TIME_ZONES:
            problems.append(f"'time_zone' should be \"local\" or \"forum\", not {value!r}")
        elif isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            setattr(settings, name, value)
        else:
            problems.append(f"'{name}' should be a {kind.__name__}, not {value!r}")
    timeout = raw.get("timeout", settings.timeout)
    if isinstance(timeout, (int, float)) and not isinstance(timeout, bool) and timeout > 0:
        settings.timeout = float(timeout)
    else:
        problems.append(f"'timeout' should be a number of seconds above 0, not {timeout!r}")
    refresh = raw.get("refresh_minutes", settings.refresh_minutes)
    if isinstance(refresh, (int, float)) and not isinstance(refresh, bool) and refresh >= 0:
        settings.refresh_minutes = float(refresh)
    else:
        problems.append(f"'refresh_minutes' should be a number of minutes (0 = off), not {refresh!r}")
    keys = raw.get("keys", {})
    if isinstance(keys, dict):
        for action, binding in keys.items():
            if isinstance(binding, str) and binding.strip():
                settings.keys[str(action)] = binding
            else:
                problems.append(f"key binding for '{action}' should be a string like \"ctrl+n\"")
    else:
        problems.append("[keys] should be a table of action = \"keys\"")
    if problems:
        settings.problem = f"{config_path()}: " + "; ".join(problems) + " (defaults used there)"
    return settings


def load_settings(path: Path | None = None) -> Settings:
    """Read the config file, creating a commented default one on first run."""
    path = path or config_path()
    settings = Settings()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        with contextlib.suppress(OSError):  # a home that cannot be written still runs, on defaults
            write_text_whole(path, DEFAULT_CONFIG)
        return settings
    except (OSError, UnicodeDecodeError) as error:
        settings.problem = f"{path}: cannot be read ({error}); using defaults"
        return settings
    if text == DEFAULT_CONFIG:  # the file as first written sets nothing: no parser needed
        return settings
    import tomllib

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        settings.problem = f"{path}: {error}; using defaults"
        return settings
    return _checked(raw, settings)


def _toml_value(value: bool | int | str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def remember_setting(name: str, value: bool | int | str, path: Path | None = None) -> None:
    """Write one top-level setting into the config file, keeping the rest of it (comments too):
    its line (or its commented default) is replaced, or added before the first table. Raises
    ``OSError`` when it cannot."""
    path = path or config_path()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        lines = DEFAULT_CONFIG.splitlines()
    line = f"{name} = {_toml_value(value)}"
    pattern = re.compile(rf"^\s*(#\s*)?{re.escape(name)}\s*=")
    tables = (index for index, text in enumerate(lines) if text.lstrip().startswith("["))
    first_table = next(tables, len(lines))
    for index, text in enumerate(lines[:first_table]):
        if pattern.match(text):
            lines[index] = line
            break
    else:
        lines.insert(first_table, line)
    write_text_whole(path, "\n".join(lines) + "\n")
