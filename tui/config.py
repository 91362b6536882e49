"""User settings (TOML at the platform's config location) and where files live.

Nothing secret is ever stored here: passwords and session cookies live in the OS keyring
(``tui.credentials``). A config file with a mistake never stops the app: the error is kept
(with its line) for the interface to show, and the defaults apply.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "forum-tui"
DEFAULT_TIMEOUT = 30.0  # seconds one request to a forum may take in all (app and ``read``)

_dirs = PlatformDirs(APP_NAME, appauthor=False)

DEFAULT_CONFIG = """\
# forum-tui settings. Every key is optional; these are the defaults.

# Theme: any Textual theme name, e.g. "textual-dark", "textual-light", "nord", "gruvbox".
theme = "textual-dark"

# Show images inline where the terminal can draw them. false = data saver.
images = true

# Posts per page asked of the forum (the forum may cap it). 0 = the forum's default.
posts_per_page = 0

# Threads per page in a board. 0 = the forum's default.
threads_per_page = 0

# Seconds one request to the forum may take in all (connecting, retries, the whole answer)
# before it is given up with a message. Esc cancels any wait sooner.
# timeout = 30

# Key bindings: action = "keys" (comma-separated). See README.md for the action names.
[keys]
# next_floor = "],ctrl+n"
"""


def config_dir() -> Path:
    return Path(_dirs.user_config_dir)


def data_dir() -> Path:
    return Path(_dirs.user_data_dir)


def cache_dir() -> Path:
    return Path(_dirs.user_cache_dir)


def config_path() -> Path:
    return config_dir() / "config.toml"


@dataclass(slots=True)
class Settings:
    theme: str = "textual-dark"
    images: bool = True
    posts_per_page: int = 0
    threads_per_page: int = 0
    timeout: float = DEFAULT_TIMEOUT
    keys: dict[str, str] = field(default_factory=dict)
    problem: str = ""  # a human sentence when the file could not be used as written


def _checked(raw: dict[str, object], settings: Settings) -> Settings:
    """Copy recognised keys of the right type; note the first wrong one."""
    problems: list[str] = []
    for name, kind in (("theme", str), ("images", bool), ("posts_per_page", int), ("threads_per_page", int)):
        if name not in raw:
            continue
        value = raw[name]
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            setattr(settings, name, value)
        else:
            problems.append(f"'{name}' should be a {kind.__name__}, not {value!r}")
    timeout = raw.get("timeout", settings.timeout)
    if isinstance(timeout, (int, float)) and not isinstance(timeout, bool) and timeout > 0:
        settings.timeout = float(timeout)
    else:
        problems.append(f"'timeout' should be a number of seconds above 0, not {timeout!r}")
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
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(DEFAULT_CONFIG, encoding="utf-8")
        except OSError:
            pass
        return settings
    except (OSError, UnicodeDecodeError) as error:
        settings.problem = f"{path}: cannot be read ({error}); using defaults"
        return settings
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        settings.problem = f"{path}: {error}; using defaults"
        return settings
    return _checked(raw, settings)
