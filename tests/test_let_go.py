"""Giving freed heap back to the system: glibc's malloc_trim where there is one, nothing (and no
error) anywhere else."""

from __future__ import annotations

import ctypes
import platform
import sys
from collections.abc import Iterator

import pytest

from widgets.let_go import _malloc_trim, return_freed_heap


@pytest.fixture(autouse=True)
def fresh_lookup() -> Iterator[None]:
    _malloc_trim.cache_clear()
    yield
    _malloc_trim.cache_clear()


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_on_glibc_the_freed_heap_is_given_back() -> None:
    assert _malloc_trim() is not None
    return_freed_heap()


def test_elsewhere_nothing_is_done(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert _malloc_trim() is None
    return_freed_heap()


def test_a_c_library_without_malloc_trim_is_let_be(monkeypatch: pytest.MonkeyPatch) -> None:
    class WithoutTrim:
        def __init__(self, name: object) -> None:
            pass

        def __getattr__(self, name: str) -> object:
            raise AttributeError(name)

    monkeypatch.setattr(ctypes, "CDLL", WithoutTrim)
    assert _malloc_trim() is None
    return_freed_heap()
