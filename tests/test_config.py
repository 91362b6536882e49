"""Settings: defaults on first run, and a broken file never stops the app."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tui.config import DEFAULT_CONFIG, Settings, config_path, load_settings, remember_setting


def test_first_run_writes_a_commented_default_file_and_uses_defaults() -> None:
    settings = load_settings()
    assert config_path().read_text(encoding="utf-8") == DEFAULT_CONFIG
    assert settings.theme == "textual-dark"
    assert settings.images is True
    assert settings.problem == ""


def test_the_default_file_sets_nothing_and_shows_every_setting_commented_with_its_default() -> None:
    assert tomllib.loads(DEFAULT_CONFIG) == {"keys": {}}
    defaults = Settings()
    for line in (
        f'# theme = "{defaults.theme}"',
        "# images = true",
        "# posts_per_page = 0",
        "# threads_per_page = 0",
        f"# timeout = {defaults.timeout:g}",
        f'# time_zone = "{defaults.time_zone}"',
        "# reading_mode = false",
        f"# refresh_minutes = {defaults.refresh_minutes:g}",
    ):
        assert f"\n{line}\n" in DEFAULT_CONFIG, line


def test_remembering_a_setting_replaces_its_commented_default_in_place() -> None:
    load_settings()
    remember_setting("reading_mode", True)
    text = config_path().read_text(encoding="utf-8")
    assert "\nreading_mode = true\n" in text and "# reading_mode" not in text
    assert text.index("reading_mode = true") < text.index("[keys]")
    assert load_settings().reading_mode is True


def test_the_default_file_reads_back_without_complaint() -> None:
    load_settings()
    assert load_settings().problem == ""


def test_valid_settings_and_key_remaps_are_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('images = false\nposts_per_page = 20\n[keys]\nnext_floor = "ctrl+n"\n', encoding="utf-8")
    settings = load_settings(path)
    assert settings.images is False
    assert settings.posts_per_page == 20
    assert settings.keys == {"next_floor": "ctrl+n"}


def test_a_syntax_error_names_the_line_and_falls_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\nimages = yes please\n', encoding="utf-8")
    settings = load_settings(path)
    assert "line 2" in settings.problem
    assert str(path) in settings.problem
    assert settings.theme == "textual-dark"


def test_a_wrong_type_keeps_the_good_keys_and_says_which_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\nposts_per_page = "many"\n', encoding="utf-8")
    settings = load_settings(path)
    assert settings.theme == "nord"
    assert settings.posts_per_page == 0
    assert "posts_per_page" in settings.problem
