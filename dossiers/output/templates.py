"""The template environments: the project's own templates over the packaged ones, sandboxed.

A `templates/` folder in the project wins over the packaged defaults, file by file; it
must lie inside the project, and a template file whose link leaves its folder is ignored.
A template comes with the project, so from anyone who can open a pull request: it renders
in `DataSandbox`, which lets it read the fields of the view it is given and call nothing
but Jinja's own helpers, its macros and the read-only methods of text and collections.
Every value it prints has its control characters made visible; HTML is autoescaped, and
Markdown output goes through the `md` filter.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from enum import Enum
from importlib import resources
from pathlib import Path
from types import BuiltinMethodType, MappingProxyType, MethodType, ModuleType, SimpleNamespace
from typing import Any, cast

import jinja2
import markupsafe
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.environment import TemplateModule
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.runtime import BlockReference, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace
from pydantic import BaseModel

from ..about import __version__
from ..errors import UserError
from ..registry.layout import TEMPLATES_DIR, Layout, markdown_anchor, real_path
from ..safe_text import markdown_escape, visible_controls
from ..views import wording
from ..views.dossier import Dossier, note_refs, numbered

PACKAGED = "templates"
MAX_VALUE = 4_000_000  # characters or items a value made in a template may have: a dossier's text is far smaller
MAX_SECONDS = 60  # the templates' rendering, in all, for one command (one `Templates`)
PROBE = ("\ue000", "\ue001")  # around the mark that stands for a note's number while the reading order is probed
PROBE_MARK = re.compile(f"{PROBE[0]}(\\d+)\\.(\\d+){PROBE[1]}")
WORDING = SimpleNamespace(**{name: value for name, value in vars(wording).items() if name.isupper()})


def _finalize(value: object) -> object:
    """Applied to every value a template prints: control characters are shown, never obeyed."""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return visible_controls(value)
    return value


github_anchor = markdown_anchor  # the `anchor` filter


def default_templates() -> Path:
    """The templates that ship with dossiers (dossiers/templates links to templates/)."""
    return Path(str(resources.files("dossiers") / PACKAGED))


def template_dirs(layout: Layout, project: bool = True) -> list[Path]:
    """Where templates are looked up, first match wins: the project's own (unless not wanted), then the defaults.

    The project's folder must lie inside the project once links are followed.
    """
    dirs = [real_path(default_templates())]
    if project and layout.templates.is_dir():
        own = real_path(layout.templates)
        if not own.is_relative_to(real_path(layout.root)):
            raise UserError(
                f"{TEMPLATES_DIR}/ leads outside the project (to {own}): templates must be files of the "
                "project; remove the link"
            )
        dirs.insert(0, own)
    return dirs


def template_files(folder: Path) -> Iterator[tuple[str, Path]]:
    """Every template file of a folder (name, path), links that leave the folder skipped, in a stable order."""
    for parent, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            path = Path(parent) / name
            if _confined(path, folder):
                yield path.relative_to(folder).as_posix(), path


def _confined(path: Path, folder: Path) -> bool:
    """Whether the file, links followed, is a regular file inside `folder` (resolved)."""
    resolved = real_path(path)
    return resolved.is_relative_to(folder) and resolved.is_file()


class ConfinedLoader(jinja2.BaseLoader):
    """Loads a template from the first folder that has it; a file whose link leaves its folder is not there."""

    def __init__(self, dirs: list[Path]):
        self.dirs = dirs

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        parts = split_template_path(template)
        for folder in self.dirs:
            path = folder.joinpath(*parts)
            if _confined(path, folder):
                mtime = path.stat().st_mtime
                return path.read_text("utf-8"), str(path), lambda path=path, mtime=mtime: path.stat().st_mtime == mtime
        raise jinja2.TemplateNotFound(template)


# The methods of text and collections a template may call: they read, and return data.
# str.format and format_map are not among them (templates have the `format` filter).
TEXT_METHODS = frozenset(
    {
        "capitalize",
        "casefold",
        "count",
        "endswith",
        "find",
        "isalnum",
        "isalpha",
        "isdigit",
        "islower",
        "isspace",
        "istitle",
        "isupper",
        "join",
        "lower",
        "lstrip",
        "partition",
        "removeprefix",
        "removesuffix",
        "replace",
        "rfind",
        "rpartition",
        "rsplit",
        "rstrip",
        "split",
        "splitlines",
        "startswith",
        "strip",
        "swapcase",
        "title",
        "upper",
    }
)
DATA_METHODS: tuple[tuple[type | tuple[type, ...], frozenset[str]], ...] = (
    (str, TEXT_METHODS),
    ((dict, MappingProxyType), frozenset({"get", "items", "keys", "values"})),
    ((list, tuple), frozenset({"count", "index"})),
)
# Jinja's own helpers: what a template calls on `loop` and on a cycler, and the callable objects of its language.
JINJA_METHODS = frozenset({LoopContext.cycle, LoopContext.changed, Cycler.next, Cycler.reset})
JINJA_CALLABLES = (Macro, BlockReference, LoopContext, Joiner)
# Objects whose public attributes are their contents: a template's namespaces and imported macros, the wording,
# and Jinja's helpers (loop.index, cycler.current).
OPEN_OBJECTS = (Namespace, SimpleNamespace, TemplateModule, LoopContext, Cycler, Joiner, BlockReference)


MODEL_NAMES = frozenset(dir(BaseModel))  # pydantic's methods: reached for on a view, refused even where a view has none


def _not_a_field(obj: object, attr: str) -> bool:
    """Whether `obj` is a view or a model (a dataclass or pydantic instance) and `attr` one of its methods, or a
    model's,
    rather than one of its fields. A name it does not have at all is left to fail as undefined (a typo, said as
    such)."""
    data = (dataclasses.is_dataclass(obj) or isinstance(obj, BaseModel)) and not isinstance(obj, type)
    return data and attr not in _fields(type(obj)) and (attr in MODEL_NAMES or hasattr(obj, attr))


def _is_field(obj: object, attr: str) -> bool:
    """Whether `attr` of `obj` is data: a field of a data object, or an entry of a namespace."""
    return isinstance(obj, OPEN_OBJECTS) or attr in _fields(type(obj))


@functools.cache
def _fields(cls: type) -> frozenset[str]:
    """The fields of a kind of data object: a dataclass's, a pydantic model's or a named tuple's, an enum's name and
    value; and the properties its own classes define (a view's `passages`, a fact's `period`), not pydantic's or
    Python's."""
    if dataclasses.is_dataclass(cls):
        names = {f.name for f in dataclasses.fields(cls)}
    elif issubclass(cls, BaseModel):
        names = {*cls.model_fields, *cls.model_computed_fields}
    elif issubclass(cls, Enum):
        names = {"name", "value"}
    elif issubclass(cls, tuple) and hasattr(cls, "_fields"):
        names = set(cast(Any, cls)._fields)  # a named tuple
    else:
        return frozenset()
    return frozenset(names | {attr for owner in cls.__mro__ for attr in vars(owner) if _own_property(cls, attr)})


def _own_property(cls: type, attr: str) -> bool:
    """Whether `attr` is a property that `cls` or a class it derives from defines, pydantic's, enum's and Python's own
    aside."""
    for owner in cls.__mro__:
        if attr in vars(owner):
            library = owner.__module__.split(".")[0] in ("builtins", "enum", "pydantic")
            return isinstance(vars(owner)[attr], property | functools.cached_property) and not library
    return False


def _is_data_method(method: object) -> bool:
    """Whether `method` is a read-only method of a piece of text, a list or a mapping (Markup's own versions
    included)."""
    owner, name = getattr(method, "__self__", None), getattr(method, "__name__", None)
    if isinstance(owner, type) or not isinstance(method, BuiltinMethodType | MethodType):
        return False
    for kinds, names in DATA_METHODS:
        if isinstance(owner, kinds) and name in names:
            if isinstance(method, BuiltinMethodType):
                return True
            return isinstance(owner, markupsafe.Markup) and method.__func__ is vars(markupsafe.Markup).get(name)
    return False


def _called(obj: object) -> str:
    """What a refused call was to, in a few words."""
    owner, name = getattr(obj, "__self__", None), getattr(obj, "__name__", None)
    if owner is not None and name and not isinstance(owner, ModuleType):
        return f"{owner.__name__ if isinstance(owner, type) else type(owner).__name__}.{name}"
    return name or type(obj).__name__


class TemplateTimeout(Exception):
    """The templates ran past their time."""


_DEADLINE: ContextVar[float] = ContextVar("template deadline", default=float("inf"))


def _bounded_loop(iterable: object) -> Iterator[object]:
    """A template's `for` goes through this: past the deadline, the loop stops the render (in any thread)."""
    deadline = _DEADLINE.get()
    for count, item in enumerate(iterable):  # type: ignore[call-overload]
        if count % 64 == 0 and time.monotonic() > deadline:
            raise TemplateTimeout("the templates ran for more than their time")
        yield item


class BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with text joined by `~` bounded like every other value a template makes."""

    def visit_Concat(self, node: nodes.Concat, frame) -> None:  # noqa: N802 (Jinja's name)
        self.write("environment.bounded_concat(")
        super().visit_Concat(node, frame)
        self.write(")")


class DataSandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, narrowed to data: a template reads fields and calls only what it is given to call.

    An attribute is readable when it is data (see `_is_field`) or a callable the template may call; a
    template may call its macros and blocks, `loop` and the other helpers of Jinja, the environment's
    global functions, and the read-only methods of text, lists and mappings. Every other method, a view's
    or a model's (its classmethods first), is refused: a view is data, with nothing to call.
    """

    def getattr(self, obj: object, attribute: str) -> object:
        """`obj.attribute` for a template; a private or special name, or a name that is not a field of a view or model,
        is refused before it is looked up."""
        if attribute.startswith("_") or _not_a_field(obj, attribute):
            return self.unsafe_undefined(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: object, argument: object) -> object:
        """`obj[argument]`; on a view or model, a name that is not a field is refused like `obj.name`."""
        if isinstance(argument, str) and _not_a_field(obj, argument):
            return self.unsafe_undefined(obj, argument)
        return super().getitem(obj, argument)

    def is_safe_attribute(self, obj: object, attr: str, value: object) -> bool:
        """A field of a data object, or a callable a template may call; never an attribute of a class."""
        if isinstance(obj, type) or not super().is_safe_attribute(obj, attr, value):
            return False
        if callable(value) and not isinstance(value, jinja2.Undefined):
            return self.is_safe_callable(value)
        return _is_field(obj, attr)

    def is_safe_callable(self, obj: object) -> bool:
        """Jinja's own callables, the global functions and the methods listed above."""
        if isinstance(obj, (jinja2.Undefined, *JINJA_CALLABLES)):  # an Undefined raises its own error when called
            return True
        if any(obj is function for function in self.globals.values()):
            return True
        function = obj.__func__ if isinstance(obj, MethodType) and not isinstance(obj.__self__, type) else None
        return function in JINJA_METHODS or _is_data_method(obj)

    def wrap_str_format(self, value: object) -> None:
        """No str.format: the attribute is refused like any method not listed (the `format` filter remains)."""
        return None

    def call(self, context: jinja2.runtime.Context, obj: object, /, *args: object, **kwargs: object) -> object:
        """Call `obj` from a template if it is a callable a template may call; what it makes is bounded."""
        if not self.is_safe_callable(obj):
            raise SecurityError(f"{_called(obj)} is not something a template may call")
        _bounded_arguments(_called(obj), (*args, *kwargs.values()))
        return _bounded(_called(obj), context.call(cast(Callable[..., Any], obj), *args, **kwargs))

    code_generator_class = BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+"})

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """The template's syntax tree, with every `for` loop going through `_bounded_loop`."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "bounded_loop", [], [], None, None, lineno=loop.iter.lineno)
        return tree

    def bounded_concat(self, value: object) -> object:
        """What `~` made, if it is not too large."""
        return _bounded("~", value)

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: object, right: object) -> object:
        """`*`, `**` and `+`, bounded: `"a" * 10**9` and `10 ** 10**9` are refused, not computed."""
        if operator == "**" and isinstance(right, int | float) and abs(right) > 64:
            raise SecurityError(f"a power of {right} is more than a template may compute")
        if operator == "*":
            for value, times in ((left, right), (right, left)):
                if isinstance(value, str | list | tuple) and isinstance(times, int) and len(value) * times > MAX_VALUE:
                    raise SecurityError(f"a value of {len(value) * times:,} items is more than a template may make")
        return _bounded(operator, super().call_binop(context, operator, left, right))


@jinja2.pass_environment
def _attr_filter(environment: DataSandbox, obj: object, name: str) -> object:
    """`obj | attr(name)`: as `obj.name`, through the sandbox's own look-up."""
    return environment.getattr(obj, name)


def _bounded_arguments(what: str, arguments: tuple[object, ...]) -> None:
    """A number given to a filter or method (a width, a count) is refused before it can make a value too large."""
    if any(isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_VALUE for value in arguments):
        raise SecurityError(f"{what} was given a number larger than {MAX_VALUE:,}")


def _bounded(what: str, value: object) -> object:
    """`value`, if it is not larger than a template may make."""
    if isinstance(value, str | list | tuple | dict) and len(value) > MAX_VALUE:
        raise SecurityError(f"{what} made a value of {len(value):,} items, more than a template may make")
    return value


def _bounded_filter(name: str, function: Callable) -> Callable:
    """A filter whose arguments and result are bounded like a call's; Jinja's markers (pass_context...) kept."""

    given = 2 if getattr(function, "jinja_pass_arg", None) else 1  # the context or environment, then the value

    @functools.wraps(function)
    def bounded(*args, **kwargs):
        _bounded_arguments(f"the filter {name}", (*args[given:], *kwargs.values()))
        return _bounded(f"the filter {name}", function(*args, **kwargs))

    return bounded


class Templates:
    """The Markdown and HTML environments of one project."""

    def __init__(self, layout: Layout, project: bool = True):
        self.dirs = template_dirs(layout, project)
        common = dict(
            loader=ConfinedLoader(self.dirs),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            finalize=_finalize,
        )
        self.markdown = DataSandbox(autoescape=False, **common)
        self.markdown.filters["md"] = markdown_escape
        self.markdown.filters["anchor"] = github_anchor
        self.markdown.filters["link_target"] = link_target
        self.markdown.filters["fence"] = lambda text: text.rstrip("\n").replace("```", "`\u200b``")
        self.html = DataSandbox(autoescape=True, **common)
        for env in (self.markdown, self.html):
            env.globals.update(version=__version__, wording=WORDING)
            env.filters["attr"] = _attr_filter  # Jinja's own reads the attribute before asking the sandbox
            env.filters = {name: _bounded_filter(name, function) for name, function in env.filters.items()}
            env.filters["bounded_loop"] = _bounded_loop
        self.spent = 0.0  # seconds the templates have rendered for: MAX_SECONDS at most, in all
        # Whether a template of the project's own is among them: its notes may be reached in an order of its own.
        self.own = len(self.dirs) > 1 and any(name.endswith(".j2") for name, _ in template_files(self.dirs[0]))

    def in_reading_order(
        self,
        env: jinja2.Environment,
        name: str,
        people: tuple[Dossier, ...],
        context: Callable[[tuple[Dossier, ...]], dict],
    ) -> tuple[Dossier, ...]:
        """The dossiers (`people`) with their notes numbered 1, 2, 3 in the order template `name` reaches them, rendered
        with `context(people)`. The packaged templates reach them in the order the views number them; a set with a
        project's own template is rendered once with a mark in place of each number, and the marks are read back."""
        if not self.own:
            return people
        probes = tuple(
            numbered(view, token=lambda i, k=k: f"{PROBE[0]}{k}.{i}{PROBE[1]}") for k, view in enumerate(people)
        )
        reached: list[list[str]] = [[] for _ in people]
        refs = [note_refs(view) for view in people]
        for person, index in PROBE_MARK.findall(self.render(env, name, **context(probes))):
            if int(person) < len(people) and int(index) < len(refs[int(person)]):
                reached[int(person)].append(refs[int(person)][int(index)])
        return tuple(numbered(view, order) for view, order in zip(people, reached))

    def render(self, env: jinja2.Environment, name: str, **context) -> str:
        """Render template `name`; a template that fails is a user error naming its file and line."""
        started = time.monotonic()
        token = _DEADLINE.set(started + MAX_SECONDS - self.spent)
        try:
            return env.get_template(name).render(**context)
        except (
            jinja2.TemplateError,
            TemplateTimeout,
            ArithmeticError,
            LookupError,
            TypeError,
            ValueError,
            RecursionError,
        ) as error:
            raise _template_error(error, name) from None
        finally:
            _DEADLINE.reset(token)
            self.spent += time.monotonic() - started

    def css(self) -> markupsafe.Markup:
        """The print stylesheet, from the first template folder that has one."""
        loader = self.html.loader
        assert loader is not None  # the environments are made with their loader
        source, _, _ = loader.get_source(self.html, "print.css")
        return markupsafe.Markup(source.replace("</", "<\\/"))


def _template_error(error: Exception, name: str) -> UserError:
    """Where in which template it failed: from a syntax error, or from the template frames of the traceback."""
    file, line = getattr(error, "filename", None) or getattr(error, "name", None), getattr(error, "lineno", None)
    trace = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename.endswith((".j2", ".css")):
            file, line = trace.tb_frame.f_code.co_filename, trace.tb_lineno
        trace = trace.tb_next
    where = f"{Path(file).name if file else name}:{line or 1}"
    kind = "refused by the sandbox" if isinstance(error, jinja2.exceptions.SecurityError) else "failed"
    return UserError(
        f"template {where}: {kind}: {str(error)[:300].rstrip('.')}. Templates may only show the view they "
        "are given; fix or remove the template"
    )


def link_target(url: str) -> str:
    """A URL as a Markdown link's target: the characters that would end or break the link percent-encoded."""
    return "".join(f"%{ord(c):02X}" if c in "()<>[]\\ \"'`" or ord(c) < 0x21 else c for c in url)
