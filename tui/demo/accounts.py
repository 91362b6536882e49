"""The demo forum's accounts and their known passwords (the login screen lists them).

Kept free of heavy imports: the login screen imports this module directly.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """A demo account; ``question_id``/``answer`` are its security question (0 = none)."""

    username: str
    password: str
    question_id: int = 0
    answer: str = ""
    note: str = ""


# Order matters: uid = position + 1, matching the users the real captures were made with.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "demo-admin", note="站长 founder / administrator"),
    DemoAccount("user1", "demo-user1", note="注册会员 regular member, author of the poll thread"),
    DemoAccount("user2", "demo-user2", note="registered member who already voted in the poll"),
    DemoAccount("user3", "demo-user3", question_id=1, answer="blue", note="has a security question"),
    DemoAccount("user4", "demo-user4", note="posted the attachments in the members-only board"),
    DemoAccount("user5", "demo-user5", note="registered member"),
    DemoAccount("小明同学", "demo-xiaoming", note="Chinese username"),
)
