"""What a ``profile`` answer adds to the author cards of a thread page: the session asks for
the profiles of a page's authors when author cards are wanted. ``forum-tui read`` never asks,
so its one request does not load this.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.discuz.parse import profile, text

if TYPE_CHECKING:
    from tui.model import AuthorCard


@dataclass(frozen=True, slots=True)
class AuthorFacts:
    """What a ``profile`` answer adds to a post's author card."""

    group: str = ""
    threads: int | None = None
    posts: int | None = None
    credits: int | None = None
    location: str = ""


def author_facts(variables: Mapping[str, Any], uid: str) -> AuthorFacts | None:
    """The card facts a ``profile`` answer gives about ``uid``; None if about someone else or empty."""
    space = variables.get("space")
    if not uid or not isinstance(space, Mapping) or text(space.get("uid")) != uid:
        return None
    found = profile(variables)
    facts = AuthorFacts(found.group, found.threads, found.posts, found.credits, found.location)
    return facts if facts != AuthorFacts() else None


def add_author_facts(card: AuthorCard, facts: AuthorFacts) -> None:
    """Fill in a post's author card; what the profile does not say stays as the post had it."""
    card.group = facts.group or card.group
    card.location = facts.location or card.location
    card.threads = card.threads if facts.threads is None else facts.threads
    card.posts = card.posts if facts.posts is None else facts.posts
    card.credits = card.credits if facts.credits is None else facts.credits
