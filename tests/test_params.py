"""Parameters carry units; text values are read without eval and checked."""

import brian2 as b2
import pytest

from circuits.config import resolve
from regions.cortex import CortexParams
from regions.errors import VicariousError
from regions.params import parse_value


@pytest.mark.parametrize("text, expected", [("20 ms", 20 * b2.ms), ("20*ms", 20 * b2.ms), ("0.02 second", 20 * b2.ms),
                                            ("4/second", 4 * b2.Hz), ("1e-3 second", 1 * b2.ms)])
def test_quantities_parse_without_eval(text, expected):
    assert parse_value(text, 5 * b2.ms) == expected or parse_value(text, 5 / b2.second) == expected


@pytest.mark.parametrize("value, message", [("20", "has no units"), ("20 mV", "wrong units"),
                                            ("-5 ms", "out of range"), ("__import__('os')", "cannot read")])
def test_bad_values_say_what_was_wrong(value, message):
    with pytest.raises(VicariousError, match=message):
        CortexParams().updated({"tau": value})


def test_unknown_parameter_suggests_the_closest():
    with pytest.raises(VicariousError, match="did you mean 'tau'"):
        CortexParams().updated({"taux": "20 ms"})


def test_resolve_validates_everything_before_running():
    config = resolve("cue-conditioning", sets=["cortex.tau=30*ms", "paradigm.sessions=2"], lesions=["amygdala:0.5"])
    assert config.params.sessions == 2 and config.region_params == {"cortex": {"tau": "30*ms"}}
    with pytest.raises(VicariousError, match="unknown --set scope"):
        resolve("cue-conditioning", sets=["cortx.tau=30*ms"])
