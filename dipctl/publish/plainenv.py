"""The plain jinja environment of dipctl's own templates (no theme: no sandbox).

Every change here writes the bytes jinja itself writes, only sooner (the site's item pages
are thousands of small renders; ``tests/test_site_sandbox.py`` compares every byte of a
plain build with a sandboxed one):

- ``row.field`` on a dict answers from the dict without the AttributeError jinja's
  ``getattr`` raises and catches first (a dict has no attributes but its class's:
  ``row.items`` is still the method);
- a call of ``T.get``, ``str.format``, ``_`` or a macro skips the checks for an argument
  to pass first, which such callables never ask for (:class:`BuildContext`);
- a template is looked up once (:meth:`BuildEnvironment.get_template`);
- ``{{ value }}`` escapes a plain string to a plain string: jinja's ``escape`` makes each
  piece of output a ``Markup`` only for the page to join them into one ``str``
  (:class:`BuildTemplate`).

Three of these lean on names jinja and markupsafe keep private (``Macro._invoke`` with
``_argument_count``, ``Template._from_namespace``, ``markupsafe._escape_inner``). Each is
looked up when this module loads; with a version that lacks one, that shortcut is left out
and jinja's own code runs (:data:`SHORTCUTS` says which are on), so another jinja is slower,
never broken.
"""

from __future__ import annotations

import types
from typing import TYPE_CHECKING, Any

import markupsafe
from jinja2 import Environment, Template
from jinja2.runtime import Context, Macro
from markupsafe import Markup, escape

from dipctl.publish.texts import ESCAPE_TEXT, SandboxedTexts, TextMacro

if TYPE_CHECKING:
    from collections.abc import Callable, MutableMapping
    from types import CodeType

_DICT_NAMES = frozenset(dir(dict))

#: The shortcuts this jinja allows (see the module's docstring).
SHORTCUTS = {
    "macro": callable(getattr(Macro, "_invoke", None)),
    "template": callable(getattr(Template, "_from_namespace", None)),
    "escape": callable(getattr(markupsafe, "_escape_inner", None)),
}


class Once:
    """``once`` in the templates: ``{% call once(site.root, "footer") %}…{% endcall %}``
    renders its body for the first page with those arguments and gives that text to every
    later page the environment renders with them (one build, one language: the data and
    texts alike for all its pages). The body may use nothing that differs between such
    pages but the arguments (the footer of 19,000 item pages is made once per folder)."""

    def __init__(self) -> None:
        self._made: dict[tuple[Any, ...], Any] = {}

    def __call__(self, *key: Any, caller: Callable[[], Any]) -> Any:
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = caller()
        return found


#: Callables that never take jinja's context, environment or eval context first (a builtin
#: function or method cannot carry ``jinja_pass_arg``; a macro and ``_`` take only their
#: arguments; nor do the methods of ``_``).
_PLAIN_CALLABLES = frozenset(
    {types.BuiltinFunctionType, types.MethodWrapperType, SandboxedTexts, TextMacro, Once}
)


class BuildContext(Context):
    """The context of the plain environment: see the module's docstring."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        kind = type(__obj)
        if kind in _PLAIN_CALLABLES or (
            kind is types.MethodType and type(__obj.__self__) is SandboxedTexts
        ):
            if kwargs:
                kwargs.pop("_block_vars", None)
                kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
        if kind is Macro and SHORTCUTS["macro"]:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            count = getattr(__obj, "_argument_count", None)
            if kwargs or len(args) != count or _special(__obj):
                return __obj(__self.eval_ctx, *args, **kwargs)
            # what Macro.__call__ comes to when the arguments are exactly its own
            return __obj._invoke(list(args), __self.eval_ctx.autoescape)
        return super().call(__obj, *args, **kwargs)


def _special(macro: Macro) -> bool:
    """A macro that takes ``caller``, ``*varargs`` or ``**kwargs``."""
    return bool(macro.caller or macro.catch_kwargs or macro.catch_varargs)


def output_escape(s: Any) -> Any:
    """``escape`` for the pieces a template outputs, which jinja only ever joins: the same
    text, a ``str`` rather than a ``Markup`` for a plain string or a number."""
    kind = type(s)
    if kind is str:
        return ESCAPE_TEXT(s)
    if kind is Markup:
        return s
    if kind is int:
        return str(s)
    return escape(s)


class BuildTemplate(Template):
    """A template whose compiled code escapes its output with :func:`output_escape`."""

    @classmethod
    def from_code(
        cls,
        environment: Environment,
        code: CodeType,
        globals: MutableMapping[str, Any],
        uptodate: Callable[[], bool] | None = None,
    ) -> Template:
        if not SHORTCUTS["template"]:
            return super().from_code(environment, code, globals, uptodate)
        namespace: dict[str, Any] = {"environment": environment, "__file__": code.co_filename}
        exec(code, namespace)
        if namespace.get("escape") is escape:  # imported by the code jinja compiles
            namespace["escape"] = output_escape
        made = cls._from_namespace(environment, namespace, globals)
        made._uptodate = uptodate
        return made


class BuildEnvironment(Environment):
    """The plain environment of dipctl's own templates: see the module's docstring."""

    context_class = BuildContext
    template_class = BuildTemplate

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._loaded: dict[tuple[str, str | None], Template] = {}

    def get_template(
        self,
        name: str | Template,
        parent: str | None = None,
        globals: MutableMapping[str, Any] | None = None,
    ) -> Template:
        """jinja's, each template found once: a page imports four, each time it renders
        (its templates never change under a build: no auto-reload)."""
        if globals is not None or type(name) is not str:
            return super().get_template(name, parent, globals)
        found = self._loaded.get((name, parent))
        if found is None:
            found = self._loaded[name, parent] = super().get_template(name, parent)
        return found

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_NAMES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        # jinja's Environment.getattr, without a second call
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A dict, not jinja's ChainMap over the environment's globals: they are set before
        the first template loads and never change, and every import asks which they are."""
        return {**self.globals, **(d or {})}
