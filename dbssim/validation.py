"""The one strict pydantic base model every data object in dbssim derives from."""

from __future__ import annotations

import difflib
from typing import Any, Self, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from dbssim.errors import InputError

T = TypeVar("T")


class StrictModel(BaseModel):
    """Frozen pydantic model that refuses unknown keys and validates defaults.

    A mistyped key must fail loudly instead of silently falling back to a
    default value.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    def revalidated(self, **update: Any) -> Self:
        """Return a copy with ``update`` applied, validated like a new object.

        ``model_copy(update=...)`` skips validation, so it is never used for
        user-facing changes.
        """
        data = self.model_dump()
        data.update(update)
        return type(self).model_validate(data)


SUGGESTION_CUTOFF = 0.75  # numerical choice: at 0.6 'age' suggested 'target' (ratio 0.67)
MAX_SHOWN_VALUE_CHARS = 80  # a quoted value in an error is cut here


def closest_name(name: str, allowed: list[str]) -> str | None:
    """The allowed name ``name`` most likely means, or None if none is close enough.

    A name that begins exactly one allowed name followed by ``_`` or ``-`` (``age`` for
    ``age_years``, ``tip`` for ``tip_mm``) means that one; otherwise the closest name by
    :class:`difflib.SequenceMatcher` ratio, if at least :data:`SUGGESTION_CUTOFF`.
    """
    starts = [a for a in allowed if a.startswith((f"{name}_", f"{name}-"))]
    if len(starts) == 1:
        return starts[0]
    matches = difflib.get_close_matches(name, allowed, n=1, cutoff=SUGGESTION_CUTOFF)
    return matches[0] if matches else None


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, dict) else "{...}"
    return text if len(text) <= MAX_SHOWN_VALUE_CHARS else text[: MAX_SHOWN_VALUE_CHARS - 3] + "..."


def lookup(registry: dict[str, T], key: str, kind: str, plural: str) -> T:
    """``registry[key]``, or an InputError naming the value, the known keys and the closest."""
    if key not in registry:
        hint = closest_name(key, list(registry))
        extra = f" Did you mean '{hint}'?" if hint else ""
        raise InputError(
            kind,
            f"unknown {kind} '{key}'. Known {plural}: {', '.join(registry)}.{extra}",
            allowed=list(registry),
        )
    return registry[key]


def validation_problems(error: ValidationError, model: type[BaseModel]) -> list[InputError]:
    """Turn a pydantic error into problems naming path, value and what is allowed.

    For unknown keys the closest valid key of the model at that path is suggested. A
    model check that raised :class:`InputError` keeps its own field, placed under the
    path of the model that raised it.
    """
    problems = []
    for item in error.errors():
        path = ".".join(str(p) for p in item["loc"])
        value = item.get("input")
        cause = (item.get("ctx") or {}).get("error")
        if item["type"] == "extra_forbidden":
            allowed = _allowed_keys(model, item["loc"][:-1])
            hint = closest_name(str(item["loc"][-1]), allowed) if allowed else None
            suggestion = f"; did you mean '{hint}'?" if hint else ""
            listing = f" Allowed keys here: {', '.join(sorted(allowed))}." if allowed else ""
            message = f"unknown key{suggestion}{listing}"
            problems.append(InputError(path, message, sorted(allowed) or None))
        elif isinstance(cause, InputError):
            inner = cause.field if path.rsplit(".", 1)[-1] != cause.field else ""
            problems.append(cause.within(path) if inner else InputError(path, cause.message))
        elif item["type"] == "literal_error":
            expected = (item.get("ctx") or {}).get("expected", "")
            message = f"{_shown(value)} is not allowed; allowed: {expected}"
            problems.append(InputError(path or "(top level)", message))
        elif item["type"] == "value_error":
            message = item["msg"].removeprefix("Value error, ")
            problems.append(InputError(path or "(top level)", message))
        else:
            message = f"{item['msg']} (got {_shown(value)})"
            problems.append(InputError(path or "(top level)", message))
    return problems


def describe_validation_error(error: ValidationError, model: type[BaseModel]) -> list[str]:
    """:func:`validation_problems` as ``field: message`` lines."""
    return [str(problem) for problem in validation_problems(error, model)]


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Walk ``loc`` through nested model fields and return the keys allowed there.

    Parts that are not field names (list indices, dict keys such as a side)
    are container positions and are stepped over.
    """
    current: Any = model
    for part in loc:
        fields = getattr(current, "model_fields", None)
        if fields is None:
            return []
        if part not in fields:
            continue
        current = _model_in_annotation(fields[part].annotation)
        if current is None:
            return []
    fields = getattr(current, "model_fields", None)
    return list(fields) if fields else []


def _model_in_annotation(annotation: Any) -> type[BaseModel] | None:
    """Find a pydantic model inside an annotation such as ``list[X]`` or ``dict[str, X]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in_annotation(arg)
        if found is not None:
            return found
    return None


def read_bundled_yaml(folder_name: str, kind: str, name: str) -> Any:
    """Parse ``dbssim/data/<folder_name>/<name>.yaml`` safely; unknown names list the known."""
    from importlib import resources

    folder = resources.files("dbssim") / "data" / folder_name
    names = sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))
    if name not in names:
        hint = closest_name(name, names)
        extra = f"; did you mean '{hint}'?" if hint else ""
        raise InputError(kind, f"unknown {kind} '{name}'; known: {', '.join(names)}{extra}", names)
    return load_yaml((folder / f"{name}.yaml").read_text(encoding="utf-8"))


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` through libyaml when PyYAML has it (same data, ~10x faster).

    Plain values only, as the safe loader: an unknown tag is an error.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)
