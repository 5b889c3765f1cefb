"""Shared helpers: tiny circuits built from single regions, driven through I_ext."""

import brian2 as b2
import networkx as nx
import pytest

from circuits.graph import add_region

b2.prefs.logging.console_log_level = "ERROR"


@pytest.fixture
def circuit():
    """A function making a circuit graph from regions (no projections unless added)."""
    def make(*regions):
        graph = nx.MultiDiGraph()
        for region in regions:
            add_region(graph, region)
        return graph
    return make
