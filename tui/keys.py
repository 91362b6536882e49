"""Key bindings as data, and the user's remapping of them from ``[keys]`` in the config.

Every binding has an id, which is the action name a user writes in the config
(``next_page = "ctrl+n,n"``). Textual's keymap does the remapping, so the help screen,
the footer and the command palette all see the keys the user chose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from textual.binding import Binding


class Key(NamedTuple):
    """One binding: config name (empty: not remappable), default keys, the action it runs,
    what it does. (A named tuple: made as the app starts, where a dataclass costs more.)"""

    id: str
    keys: str
    action: str
    description: str
    show: bool = True
    priority: bool = False

    def binding(self) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.description,
            show=self.show,
            id=self.id or None,
            priority=self.priority,
        )


# Everywhere.
HELP = Key("help", "question_mark", "help", "Keys of this screen")
OPEN_TARGET = Key("open_url", "o", "open_target", "Open a URL or thread id")
QUIT = Key("quit", "ctrl+q", "quit", "Quit", show=False, priority=True)
STOP_CONNECTING = Key("stop_connecting", "escape,q", "stop_connecting", "Stop connecting", show=False)

# Screens that load from the forum.
BACK = Key("back", "escape,q", "back", "Back / cancel loading")
REFRESH = Key("refresh", "r", "refresh", "Reload", show=False)

# Lists: vim keys beside the arrows the list widgets already have.
CURSOR_DOWN = Key("cursor_down", "j,down", "cursor_down", "Down", show=False)
CURSOR_UP = Key("cursor_up", "k,up", "cursor_up", "Up", show=False)
FIRST = Key("first", "g,home", "first", "First row", show=False)
LAST = Key("last", "G,end", "last", "Last row", show=False)
PAGE_DOWN = Key("page_down", "pagedown", "page_down", "Screen down", show=False)
PAGE_UP = Key("page_up", "pageup", "page_up", "Screen up", show=False)
OPEN = Key("open", "enter", "open", "Open")
FIND = Key("find", "slash", "find", "Find")

# Board list.
FAVOURITE_BOARD = Key("favourite", "f", "favourite", "Pin / unpin board")

# Thread list.
NEXT_PAGE = Key("next_page", "n", "next_page", "Next page")
PREVIOUS_PAGE = Key("previous_page", "p", "previous_page", "Previous page")
SORT = Key("sort", "s", "sort", "Sort")
DIGEST = Key("digest", "d", "digest", "Digest only")
NEW_THREAD = Key("new_thread", "c", "new_thread", "New thread")

# Log-in screen: the site's own pages, in the browser (ctrl keys: letters go into the fields).
REGISTER = Key("register", "ctrl+r", "register", "Register on the site", priority=True)
LOST_PASSWORD = Key("lost_password", "ctrl+f", "lost_password", "Forgot password", priority=True)
LOGIN_PAGE_KEYS = (REGISTER, LOST_PASSWORD)
# The form's own controls (widgets.form_controls, widgets.tick_box). Priority: they act as the
# app reads the key, in order with Tab, so a burst typed after start-up lands where it was meant.
PRESS = Key("", "enter,space", "press", "Press the button", show=False, priority=True)
TICK = Key("", "enter,space", "toggle", "Tick / untick", show=False, priority=True)
CLOSE_CHOICES = Key("", "escape", "close", "Close the list", show=False)
PICKER_KEYS = (
    Key("", "left", "step(-1)", "Previous choice", show=False, priority=True),
    Key("", "right", "step(1)", "Next choice", show=False, priority=True),
    Key("", "enter,space", "expand", "List the choices", show=False, priority=True),
)

# Thread view: reading aids on the focused floor.
READING_MODE = Key("reading_mode", "m", "toggle_reading_mode", "Reading mode (text only)")
TOP = Key("top", "1", "first_floor", "Top of the thread", show=False)
LINKS = Key("links", "l", "links", "Links in the floor")
DOWNLOAD = Key("download", "d", "download", "Download the floor's files")
VOTE = Key("vote", "v", "vote_in_poll", "Vote in the thread's poll")
QUICK_REPLY = Key("quick_reply", "L", "quick_reply", "Quick reply (guests: log in to reply)")
HISTORY = Key("history", "H", "show_history", "Threads read (history)")
# Forms: Tab moves between fields even where a field would take it.
FOCUS_NEXT = Key("", "tab", "focus_field(1)", "Focus Next", show=False, priority=True)
FOCUS_PREVIOUS = Key("", "shift+tab", "focus_field(-1)", "Focus Previous", show=False, priority=True)

# Thread view.
THREAD_KEYS = (
    Key("floor_down", "j,down", "floor_down", "Next floor / scroll", show=False),
    Key("floor_up", "k,up", "floor_up", "Previous floor / scroll", show=False),
    Key("next_floor", "right_square_bracket", "next_floor", "Next floor", show=False),
    Key("previous_floor", "left_square_bracket", "previous_floor", "Previous floor", show=False),
    Key("first_floor", "g,home", "first_floor", "First floor", show=False),
    Key("last_floor", "G,end", "last_floor", "Last floor", show=False),
    Key("screen_down", "pagedown,space", "screen_down", "Screen down", show=False),
    Key("screen_up", "pageup", "screen_up", "Screen up", show=False),
    NEXT_PAGE,
    Key("previous_page", "N", "previous_page", "Previous page", show=False),
    # Priority: the composer opens before the keys typed after r are handled, so they reach it.
    Key("reply", "r", "reply", "Reply", priority=True),
    Key("quote_reply", "R", "quote_reply", "Quote", priority=True),
    Key("jump", "colon", "jump", "Jump"),
    Key("find_in_page", "slash", "find", "Find"),
    Key("only_author", "a", "toggle_author", "Only author"),
    Key("reverse_order", "s", "toggle_reverse", "Reverse"),
    Key("follow_quote", "f", "follow_quote", "Go to quoted floor", show=False),
    Key("copy_link", "y", "copy_link", "Copy link"),
    Key("open_in_browser", "b", "open_browser", "Browser", show=False),
    Key("open_image", "i", "open_image", "Open image"),
    Key("favourite_thread", "F", "toggle_favourite", "Favourite"),
    Key("author_profile", "p,u", "author_profile", "Author's profile", show=False),
    Key("edit_post", "e", "edit_post", "Edit my post", show=False),
    Key("rate_floor", "plus", "rate", "Rate this floor", show=False),
    Key("back", "escape,q", "back", "Back / stop loading", show=False),
)
POLL_VOTE = Key("", "v", "vote", "Vote")

# Composer, and the question when leaving it with text in it.
COMPOSER_KEYS = (
    Key("send", "ctrl+s", "send", "Send", priority=True),
    Key("send_enter", "ctrl+enter", "send", "Send", show=False, priority=True),
    Key("toggle_preview", "f2", "toggle_preview", "Preview"),
    Key("close_composer", "escape", "close", "Close"),
)
DISCARD_KEYS = (
    Key("discard_draft", "d", "choose('discard')", "Discard"),
    Key("keep_draft", "k", "choose('keep')", "Keep draft"),
    Key("", "escape", "choose('')", "Keep writing"),
)

# Modals.
CLOSE_HELP = Key("", "escape,q,question_mark", "dismiss", "Close help", show=False)
CANCEL = Key("", "escape", "dismiss", "Cancel", show=False)
CHOICE_KEYS = (Key("", "escape,q", "dismiss_none", "Close"), Key("", "y", "copy", "Copy"))
STOP_DOWNLOAD = Key("", "escape", "stop", "Stop")

# The line at the end of a thread.
REPLY_LINE_LOG_IN = Key("", "enter", "press", "Log in to reply", show=False)
REPLY_LINE_GROW = Key("", "tab", "grow", "Full composer", show=False, priority=True)
REPLY_LINE_LEAVE = Key("", "escape", "leave_field", "Back to the floors", show=False)

# The account's own things: reachable from every screen.
NOTIFICATIONS = Key("notifications", "exclamation_mark", "notifications", "Notifications", show=False)
MESSAGES = Key("messages", "P", "messages", "Messages (PMs)", show=False)
FAVOURITES = Key("favourites", "asterisk", "favourites", "Favourites", show=False)
MY_THREADS = Key("my_threads", "M", "my_threads", "My threads", show=False)
SEARCH = Key("search", "S", "search", "Search", show=False)
MY_PROFILE = Key("my_profile", "U", "my_profile", "My profile", show=False)

# Lists of the account's things.
REMOVE = Key("remove", "x,delete", "remove", "Remove from favourites")
FAVOURITE_BOARDS = Key("favourite_boards", "b", "favourite_boards", "Favourite boards on the site")
REPLIES_TOGGLE = Key("toggle_replies", "t", "toggle_replies", "My threads / my replies")
WRITE_MESSAGE = Key("write_message", "c", "write_message", "Write a message")
PROFILE = Key("profile", "u", "profile", "Their profile")

ACCOUNT_KEYS = (NOTIFICATIONS, MESSAGES, FAVOURITES, MY_THREADS, SEARCH, MY_PROFILE)
APP_KEYS = (HELP, OPEN_TARGET, HISTORY, QUIT, STOP_CONNECTING, *ACCOUNT_KEYS)
LIST_KEYS = (CURSOR_DOWN, CURSOR_UP, FIRST, LAST, PAGE_DOWN, PAGE_UP, OPEN, FIND)
BOARD_KEYS = (BACK, *LIST_KEYS, FAVOURITE_BOARD, REFRESH)
THREAD_LIST_KEYS = (BACK, *LIST_KEYS, NEXT_PAGE, PREVIOUS_PAGE, SORT, DIGEST, NEW_THREAD, REFRESH)
FLOOR_KEYS = (READING_MODE, TOP, LINKS, DOWNLOAD, VOTE, QUICK_REPLY)
PAGED_KEYS = (BACK, *LIST_KEYS, NEXT_PAGE, PREVIOUS_PAGE, REFRESH)
FAVOURITES_KEYS = (*PAGED_KEYS, REMOVE, FAVOURITE_BOARDS)
MY_THREADS_KEYS = (*PAGED_KEYS, REPLIES_TOGGLE)
MESSAGES_KEYS = (*PAGED_KEYS, WRITE_MESSAGE)
CONVERSATION_KEYS = (*MESSAGES_KEYS, PROFILE)
LOGIN_KEYS = (BACK, FOCUS_NEXT, FOCUS_PREVIOUS)
RATE_KEYS = (BACK, Key("rate_send", "ctrl+s", "rate", "Rate", priority=True))
REMAPPABLE = tuple(
    key
    for group in (
        APP_KEYS,
        BOARD_KEYS,
        THREAD_LIST_KEYS,
        THREAD_KEYS,
        FLOOR_KEYS,
        COMPOSER_KEYS,
        DISCARD_KEYS,
        RATE_KEYS,
        FAVOURITES_KEYS,
        MY_THREADS_KEYS,
        CONVERSATION_KEYS,
    )
    for key in group
    if key.id
)


def bindings(keys: Iterable[Key]) -> list[Binding]:
    """Textual bindings for a screen's ``BINDINGS``."""
    return [key.binding() for key in keys]


def _line_of(path: Path | None, action: str) -> int | None:
    """The line of ``action = ...`` in the config file, to point the user at it."""
    if path is None:
        return None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    pattern = re.compile(rf"""^\s*["']?{re.escape(action)}["']?\s*=""")
    for number, line in enumerate(lines, 1):
        if pattern.match(line):
            return number
    return None


_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


def is_key_name(key: str) -> bool:
    """Whether Textual knows ``key`` (``ctrl+n``, ``f2``, ``question_mark``, ``]``, ``G``)."""
    from textual.keys import Keys, key_to_character

    *modifiers, base = key.split("+")
    if not base or any(modifier not in _MODIFIERS for modifier in modifiers):
        return False
    named = {name.value.rpartition("+")[2] for name in Keys if not name.value.startswith("<")}
    return base in named or key_to_character(base) is not None


def keymap_from_config(
    wanted: Mapping[str, str], known_ids: Iterable[str], path: Path | None = None
) -> tuple[dict[str, str], str]:
    """The Textual keymap for the user's ``[keys]`` table, and a sentence about its mistakes.

    Unknown action names and key names Textual does not know are left out and named with
    their line; an action left with no valid key keeps its default keys.
    """
    known = set(known_ids)
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for action, keys in wanted.items():
        line = _line_of(path, action)
        where = f"line {line}: " if line else ""
        if action not in known:
            problems.append(f"{where}unknown action '{action}' in [keys]")
            continue
        parts = [part.strip() for part in keys.split(",") if part.strip()]
        valid = [part for part in parts if is_key_name(part)]
        for wrong in (part for part in parts if part not in valid):
            problems.append(f"{where}'{wrong}' is not a key name (for '{action}')")
        if valid:
            keymap[action] = ",".join(valid)
    if not problems:
        return keymap, ""
    prefix = f"{path}: " if path else ""
    return keymap, prefix + "; ".join(problems) + " (see ? for action names; defaults used)"


def taken_keys(
    keymap: Mapping[str, str], scopes: Mapping[str, Iterable[tuple[str, str]]]
) -> list[str]:
    """Sentences naming each action that lost a key to a remap: where a remapped action's new
    key is also another action's key on the same screen (``scopes`` maps a screen's name to its
    (id, default keys) pairs), the other action no longer gets that key there."""
    found: list[str] = []
    for screen, pairs in scopes.items():
        pairs = list(pairs)
        for remapped, wanted in keymap.items():
            if remapped not in {binding_id for binding_id, _ in pairs}:
                continue
            new_keys = {key.strip() for key in wanted.split(",") if key.strip()}
            for other, defaults in pairs:
                own = keymap.get(other, defaults)
                shared = sorted(new_keys & {key.strip() for key in own.split(",")})
                if other != remapped and shared:
                    found.append(f"{remapped} = \"{shared[0]}\" takes that key from {other} in {screen}")
    return sorted(set(found))
