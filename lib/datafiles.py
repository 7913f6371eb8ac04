"""Data files checked by pydantic models, and pydantic's errors said in plain words.

Knows nothing of what the files hold. A file kind declares its models; this module reads the TOML,
runs the model and turns each error into one sentence that names the element and the problem:

    implied_answers[2] (B2.9): there is no yes/no question 'B2.9' in this procedure
    tasks[0]: 'due_after_minutes' must be a whole number of minutes, 0 or more, or left out

The caller puts the file's name in front. A message may name its field as ``{field}``: the field is
then taken off the location and named, quoted, in the sentence ("tasks[0]: 'title' must be…");
a message that does not name it leaves it in the location ("tasks[0].rules[1]: 'b2' is not…").
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

ERROR_TYPE = "data_file"

# pydantic's own errors, in the words a person editing the file needs.
PLAIN = {
    "missing": "missing required key {field}",
    "extra_forbidden": "unknown {field}",
    "model_type": "{field} must be a table",
    "model_attributes_type": "{field} must be a table",
    "dict_type": "{field} must be a table",
    "list_type": "{field} must be a list",
    "string_type": "{field} must be text",
    "bool_type": "{field} must be true or false",
    "int_type": "{field} must be a whole number",
}


class Table(BaseModel):
    """A table of a data file. Values must have the right type as written (TOML gives true, not "yes"), and
    a key the model does not know is an error, not silently ignored (a subclass may allow extra keys)."""

    model_config = ConfigDict(strict=True, extra="forbid")


def left_out():
    """The default of a key the file may leave out, and that is left out again when the model is dumped."""
    return Field(None, exclude_if=lambda value: value is None)


Wording = dict[str, "str | Callable[[tuple], str]"]
Where = Callable[[tuple, Any], "str | None"]


def problem(message: str) -> PydanticCustomError:
    """An error to raise from a validator; `message` may name the field as {field}."""
    return PydanticCustomError(ERROR_TYPE, message)


def refuse(problems: list[tuple[tuple, str]]) -> None:
    """Raise every (location, message) at once, locations relative to the value being checked.

    A validator raises one error; a check across items (each `when` names a known question) often finds
    several, and the person fixing the file wants them all.
    """
    if problems:
        raise ValidationError.from_exception_data(
            ERROR_TYPE, [InitErrorDetails(type=problem(message), loc=loc, input=None) for loc, message in problems])


def checked(kind, test: Callable[[Any], bool], message: str):
    """`kind`, refused with `message` when `test(value)` is false.

    The message may name the field as {field} and the value as {value} (shown as Python writes it).
    The test runs before pydantic's own type check, so one plain sentence covers a wrong type and a
    wrong value alike ("'version' must be a whole number, 1 or more" for "1", True and 0).
    """
    def check(value):
        if not test(value):
            raise problem(message.replace("{value}", repr(value)))
        return value

    return Annotated[kind, BeforeValidator(check)]


def each_once(attr: str, message: str) -> AfterValidator:
    """For a list of tables: refuse an item whose `attr` an earlier item has. `message` may name it as {value}."""
    def check(items: list) -> list:
        seen: set = set()
        found = []
        for n, item in enumerate(items):
            value = getattr(item, attr)
            if value in seen:
                found.append(((n,), message.replace("{value}", repr(value))))
            seen.add(value)
        refuse(found)
        return items

    return AfterValidator(check)


def is_int(value) -> bool:
    """A whole number, and not True or False (which Python counts as 1 and 0)."""
    return isinstance(value, int) and not isinstance(value, bool)


def nonempty_str(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def matches(pattern: re.Pattern) -> Callable[[Any], bool]:
    """A test for `checked`: text that `pattern` matches from its start."""
    return lambda value: isinstance(value, str) and pattern.match(value) is not None


def one_of(choices) -> Callable[[Any], bool]:
    """A test for `checked`: one of `choices` (text, so that a list or a table is refused, not a crash)."""
    return lambda value: isinstance(value, str) and value in choices


def https(value) -> bool:
    return isinstance(value, str) and value.startswith("https://")


def path(loc: tuple, data, labels: tuple[str, ...] = ("id",)) -> str:
    """`loc` as the file's reader finds it: tasks[3], implied_answers[2] (B2.9), kind_rules.colour.

    An item of a list is named by its first `labels` key that the file gives it.
    """
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int):
            node = node[key] if isinstance(node, list) and 0 <= key < len(node) else None
            label = next((node[k] for k in labels if isinstance(node, dict) and isinstance(node.get(k), str)), None)
            part = f"[{key}]" + (f" ({label})" if label else "")
            if parts:
                parts[-1] += part
            else:
                parts.append(part)
        else:
            node = node.get(key) if isinstance(node, dict) else None
            parts.append(str(key))
    return ".".join(parts)


def whole_must_be_a_table(what: str) -> Wording:
    """Wording for a value that is not a table at all: "a script must be a table" rather than "must be a table"."""
    return {"model_type": lambda loc: "{field} must be a table" if loc else f"{what} must be a table"}


def messages(error: ValidationError, data, *, where: Where | None = None, labels: tuple[str, ...] = ("id",),
             wording: Wording | None = None) -> list[str]:
    """One plain sentence per problem in `error`, raised by validating `data`.

    `where(loc, data)` names a location the file kind's own way ("agency 2 (police)", or "" for none);
    when it returns None, or is not given, the location is written as `path` writes it. `wording` replaces the plain
    words for one of pydantic's error types (a template, or a function of the location giving one).
    Unknown keys come first: a misspelt key often explains the problems after it.
    """
    wording = {**PLAIN, **(wording or {})}
    found = []
    for e in error.errors(include_url=False, include_context=False, include_input=False):
        loc = tuple(k for k in e["loc"] if k != "[key]")
        if e["type"] == ERROR_TYPE:
            template = e["msg"]
        elif e["type"] in wording:
            template = wording[e["type"]]
            template = template(loc) if callable(template) else template
        else:
            template = "{field} is not valid (" + e["msg"].removeprefix("Value error, ") + ")"
        if "{field}" in template and loc and isinstance(loc[-1], str):
            loc, text = loc[:-1], template.replace("{field}", repr(loc[-1]))
        else:
            text = template.replace("{field} ", "").replace("{field}", "")
        place = where(loc, data) if where else None
        place = path(loc, data, labels) if place is None else place
        found.append((e["type"] != "extra_forbidden", f"{place}: {text}" if place else text))
    return [text for _, text in sorted(found, key=lambda f: f[0])]


def validate(model: type[BaseModel], data, *, context=None, **how) -> tuple[BaseModel | None, list[str]]:
    """(the validated model, []) or (None, every problem in plain words); `how` as for `messages`."""
    try:
        return model.model_validate(data, context=context), []
    except ValidationError as error:
        return None, messages(error, data, **how)


def read_toml(path: Path, error: type[Exception]) -> dict:
    """The parsed file, or `error` naming the file: it cannot be read, or it is not TOML."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise error(f"{path.name}: cannot be read ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path.name}: is not valid TOML ({exc})") from exc


def with_defaults(model: type[BaseModel], data: dict) -> dict:
    """A copy of `data` with every default `model` gives filled in where the key is missing.

    Nothing is checked: this is for a copy saved by an earlier version of the file (a case keeps the
    procedure it opened under), which must still load when later versions add optional keys. Nested
    tables and lists of tables are filled in by their own models; other keys are kept as they are.
    """
    result = dict(data)
    for name, field in model.model_fields.items():
        key = field.alias or name
        if key not in result:
            if field.is_required():
                continue
            default = field.get_default(call_default_factory=True)
            if not (field.exclude_if and field.exclude_if(default)):  # left out stays left out
                result[key] = default.model_dump(by_alias=True) if isinstance(default, BaseModel) else default
        elif (inner := _model_in(field.annotation)) is not None:
            value = result[key]
            if isinstance(value, dict):
                result[key] = with_defaults(inner, value)
            elif isinstance(value, list):
                result[key] = [with_defaults(inner, v) if isinstance(v, dict) else v for v in value]
    return result


def _model_in(annotation) -> type[BaseModel] | None:
    """The model a field holds, directly or as the items of a list (through Annotated)."""
    while getattr(annotation, "__metadata__", None) is not None:  # Annotated[X, ...]
        annotation = annotation.__origin__
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    args = getattr(annotation, "__args__", ())
    if getattr(annotation, "__origin__", None) is list and args:
        return _model_in(args[0])
    return None
