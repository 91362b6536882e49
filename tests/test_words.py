"""Counts read as English: one reply, two replies."""

from tui.words import counted


def test_one_is_singular_and_every_other_number_plural() -> None:
    assert counted(1, "reply") == "1 reply"
    assert counted(2, "reply") == "2 replies"
    assert counted(0, "notice") == "0 notices"
    assert counted(1, "thread") == "1 thread" and counted(21, "thread") == "21 threads"
