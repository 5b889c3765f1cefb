"""Shared helpers: tiny circuits built from single regions, driven through I_ext; paradigm runs compiled.

Paradigm runs and studies in the tests use the cython target when this machine can compile (it gives
numpy's numbers bit for bit, ``test_codegen.py``, and runs the long paradigm fixtures 2-3x faster; each
circuit is compiled once, into vicarious's cache, and shared by the test workers). ``VICARIOUS_CODEGEN=numpy``
runs them on numpy instead. Tiny circuits built directly (``Simulation(...)``) stay on numpy: compiling each
would cost more than it saves.
"""

import os

import brian2 as b2
import networkx as nx
import pytest

from circuits.graph import add_region
from circuits.simulation import CODEGEN_VARIABLE

b2.prefs.logging.console_log_level = "ERROR"


def _compiled_paradigm_runs():
    if CODEGEN_VARIABLE in os.environ:
        return
    from brian2.codegen.runtime.cython_rt import CythonCodeObject

    if CythonCodeObject.is_available():
        os.environ[CODEGEN_VARIABLE] = "cython"


_compiled_paradigm_runs()


@pytest.fixture
def circuit():
    """A function making a circuit graph from regions (no projections unless added)."""
    def make(*regions):
        graph = nx.MultiDiGraph()
        for region in regions:
            add_region(graph, region)
        return graph
    return make
