"""Validated parameter dataclasses carrying Brian2 units.

A region (or paradigm) declares its parameters as a frozen dataclass whose fields
are made with :func:`param`. Values are checked when the object is made: a physical
quantity must carry the right Brian2 dimensions, numbers must lie in their range,
choices must be known. Users set values from text (``--set cortex.tau=20*ms``);
:func:`parse_value` reads that text without ``eval``.
"""

import dataclasses
import re

import brian2 as b2
from brian2.units.fundamentalunits import DimensionMismatchError, Quantity, Unit, get_dimensions

from regions.errors import VicariousError, did_you_mean, unknown

_UNITS = {name: value for name, value in vars(b2.units).items() if isinstance(value, Unit)}
_UNITS.update({name: value for name, value in vars(b2.units.allunits).items() if isinstance(value, Unit)})
_COMMON_UNITS = ("ms", "second", "Hz", "mV", "volt", "nA", "pA", "nS", "pF", "ohm")
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_UNIT = r"[A-Za-z_][\w]*(?:\s*\*\*\s*-?\d+)?"  # a unit name with an optional integer power
_QUANTITY = re.compile(rf"^\s*({_NUMBER})\s*\*?\s*(/?\s*{_UNIT}(?:\s*[*/]\s*{_UNIT})*)?\s*$")


def param(default, unit=None, low=None, high=None, choices=None, doc=""):
    """A dataclass field with a unit, an inclusive range [low, high] and a docstring.

    ``unit`` is a Brian2 unit for physical quantities (the default must carry its
    dimensions); ``low``/``high`` are in the same unit; ``choices`` lists allowed strings.
    """
    meta = {"unit": unit, "low": low, "high": high, "choices": choices, "doc": doc}
    if isinstance(default, Quantity):  # ndarray subclass: dataclasses want a factory
        return dataclasses.field(default_factory=lambda: default, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def default_of(f):
    """The default value of a dataclass field made with :func:`param`."""
    return f.default if f.default is not dataclasses.MISSING else f.default_factory()


def _parse_unit(text):
    result = None
    for op, token in re.findall(r"(^|[*/])\s*([A-Za-z_]\w*(?:\s*\*\*\s*-?\d+)?)", text.replace(" ", "")):
        name, _, power = token.partition("**")
        if name not in _UNITS:
            raise VicariousError(f"unknown unit {name!r}{did_you_mean(name, _COMMON_UNITS)}; "
                                 f"use Brian2 unit names such as {', '.join(_COMMON_UNITS)}")
        unit = _UNITS[name] ** int(power) if power else _UNITS[name]
        if op == "/":
            result = (1 if result is None else result) / unit
        else:
            result = unit if result is None else result * unit
    return result


def parse_value(text, like, name="value"):
    """Read ``text`` as a value of the same kind as ``like`` (no ``eval``)."""
    if not isinstance(text, str):
        return text
    text = text.strip()
    if isinstance(like, bool):
        if text.lower() in ("true", "yes", "1", "on"):
            return True
        if text.lower() in ("false", "no", "0", "off"):
            return False
        raise VicariousError(f"{name}: {text!r} is not a boolean; allowed: true or false")
    if isinstance(like, str):
        return text
    match = _QUANTITY.match(text)
    if not match:
        raise VicariousError(f"{name}: cannot read {text!r} as a number{_unit_hint(like)}")
    number, unit_text = match.groups()
    if isinstance(like, Quantity) and not isinstance(like, int):
        if not unit_text:
            raise VicariousError(f"{name}: {text!r} has no units; expected a quantity{_unit_hint(like)}")
        return float(number) * _parse_unit(unit_text)
    if unit_text:
        raise VicariousError(f"{name}: {text!r} carries a unit but {name} is a plain number")
    if isinstance(like, int):
        if not re.fullmatch(r"[-+]?\d+", number):
            raise VicariousError(f"{name}: {text!r} is not a whole number")
        return int(number)
    return float(number)


_BOOLEAN_WORDS = {"true": "true", "yes": "true", "on": "true", "false": "false", "no": "false", "off": "false"}


def canonical(text):
    """The value ``text`` stands for, as text that two spellings of one value share: ``2``, ``02`` and
    ``2.0`` give ``2.0``; ``20*ms``, ``20 ms`` and ``0.02*second`` give ``0.02 s``; other text as given."""
    text = str(text).strip()
    match = _QUANTITY.match(text)
    if not match:
        return _BOOLEAN_WORDS.get(text.lower(), text)
    number, unit_text = match.groups()
    if not unit_text:
        return repr(float(number))
    value = float(number) * _parse_unit(unit_text)
    return f"{float(value)!r} {get_dimensions(value)}"


def _unit_hint(like):
    if isinstance(like, Quantity):
        return f" with units like {like!r}"
    return ""


def _check_field(cls_name, f, value):
    meta = f.metadata
    label = f"{cls_name}.{f.name}"
    unit = meta.get("unit")
    if unit is not None:
        if not isinstance(value, Quantity):
            raise VicariousError(f"{label} = {value!r} has no units; expected a quantity in {unit!r}")
        if get_dimensions(value) is not get_dimensions(unit):
            raise VicariousError(
                f"{label} = {value!r} has the wrong units; expected dimensions of {unit!r}")
    elif isinstance(value, Quantity) and not value.is_dimensionless:
        raise VicariousError(f"{label} = {value!r} must be a plain number, without units")
    if isinstance(value, (int, float, Quantity)) and not isinstance(value, bool):
        if not isinstance(value, int) and not bool(b2.isfinite(value)):  # a Python int is finite, however long
            raise VicariousError(f"{label} = {value!r} is not finite")
        low, high = meta.get("low"), meta.get("high")
        try:
            if low is not None and value < low or high is not None and value > high:
                raise VicariousError(f"{label} = {value!r} is out of range; allowed: [{low}, {high}]")
        except DimensionMismatchError as err:  # pragma: no cover - guarded above
            raise VicariousError(f"{label}: {err}") from None
    choices = meta.get("choices")
    if choices is not None and value not in choices:
        raise unknown(f"value for {label}", value, choices)


class Params:
    """Mix-in for frozen parameter dataclasses: validation, text updates, description."""

    def __post_init__(self):
        for f in dataclasses.fields(self):
            _check_field(type(self).__name__, f, getattr(self, f.name))

    @classmethod
    def names(cls):
        return [f.name for f in dataclasses.fields(cls)]

    def updated(self, values, prefix=""):
        """A copy with ``values`` (name → value or text) applied and validated."""
        fields = {f.name: f for f in dataclasses.fields(self)}
        parsed = {}
        for key, text in values.items():
            if key not in fields or _structural(fields[key]):
                settable = [name for name, f in fields.items() if not _structural(f)]
                if key in fields:
                    raise VicariousError(f"{prefix}{key} is part of the circuit's structure, which the paradigm "
                                         f"fixes; it cannot be set (settable: {', '.join(settable)})")
                raise unknown(f"parameter of {prefix or type(self).__name__}", key, settable)
            parsed[key] = parse_value(text, getattr(self, key), f"{prefix}{key}")
        try:
            return dataclasses.replace(self, **parsed)
        except VicariousError as err:  # name the parameter as the user wrote it
            raise VicariousError(str(err).replace(f"{type(self).__name__}.", prefix, 1)) from None

    @classmethod
    def describe(cls):
        """One row per settable parameter: name, default, unit, range and docstring."""
        rows = []
        for f in dataclasses.fields(cls):
            if _structural(f):
                continue
            meta = f.metadata
            low, high = meta.get("low"), meta.get("high")
            rng = "" if low is None and high is None else f"[{low}, {high}]"
            if meta.get("choices"):
                rng = "{" + ", ".join(meta["choices"]) + "}"
            rows.append({"name": f.name, "default": default_of(f), "unit": meta.get("unit"),
                         "range": rng, "doc": meta.get("doc", "")})
        return rows

    def as_dict(self):
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}


def _structural(f):
    """Whether a field is part of a circuit's structure (a tuple: channels, actions), not a settable value."""
    return isinstance(default_of(f), tuple)


def _plain(value):
    """A JSON-friendly form of a parameter value (quantities as text with units)."""
    if isinstance(value, Quantity) and not value.is_dimensionless:
        return repr(value)
    if isinstance(value, Quantity):
        return float(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value
