"""The Flask application class: Flask, with two things it works out on every request worked
out once."""

from collections.abc import Callable, MutableMapping
from types import MappingProxyType
from typing import Any

from flask import Flask
from flask.templating import Environment


class TemplateEnvironment(Environment):
    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals: the environment's own, seen through a read-only view, for a
        template given none of its own (Marquee gives none). Jinja's ChainMap, there so that
        such a template's globals could not change the environment's, is read key by key in
        Python at every rendering and every `{% from ... import %}`: 71 -> 50 µs for the
        rating block."""
        if d:
            return super().make_globals(d)
        return MappingProxyType(self.globals)  # type: ignore[return-value]


class Marquee(Flask):
    jinja_environment = TemplateEnvironment

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
