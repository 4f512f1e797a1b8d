"""Stage 3, views: the checked registry joined into what each output shows, decided here, not in templates."""

from collections.abc import Callable
from typing import TypeVar

Method = TypeVar("Method", bound=Callable)

# The methods of views that templates may call; the template sandbox refuses every other.
TEMPLATE_METHODS: set[Callable] = set()


def callable_from_templates(method: Method) -> Method:
    """Let templates call this method of a view: it only reads the view (or numbers its notes as they are shown)."""
    TEMPLATE_METHODS.add(method)
    return method
