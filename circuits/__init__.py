"""Circuits: wiring graphs, lesions, the Brian2 builder, paradigms, the runner and the CLI."""

__version__ = "0.1.0"
