"""The Flask application class: Flask, with one question it asks on every request answered
once per function."""

from collections.abc import Callable
from typing import Any

from flask import Flask


class Marquee(Flask):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._synchronous: dict[Callable[..., Any], Callable[..., Any]] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Flask's ensure_sync(), kept per function: Flask asks it of the view and of every
        hook on every request (a dozen times), and whether a function is a coroutine function
        never changes."""
        try:
            return self._synchronous[func]
        except KeyError:
            return self._synchronous.setdefault(func, super().ensure_sync(func))
