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


def closest_name(name: str, allowed: list[str]) -> str | None:
    """Return the allowed name closest to ``name``, or None if none is close."""
    matches = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    return matches[0] if matches else None


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
        else:
            shown = repr(value) if not isinstance(value, dict) else "{...}"
            problems.append(InputError(path or "(top level)", f"{item['msg']} (got {shown})"))
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

    import yaml

    folder = resources.files("dbssim") / "data" / folder_name
    names = sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))
    if name not in names:
        raise InputError(kind, f"unknown {kind} '{name}'; known: {', '.join(names)}", names)
    return yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8"))
