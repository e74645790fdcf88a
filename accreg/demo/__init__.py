"""The one-machine demo: `make run` bootstraps reference data and a few demo accounts."""
