"""The environment of a user's shell for commands the tests run as a user types them: without the code-generation
target the tests choose for their own paradigm runs (``conftest.py``)."""

import os

from circuits.simulation import CODEGEN_VARIABLE


def user_env():
    return {key: value for key, value in os.environ.items() if key != CODEGEN_VARIABLE}
