"""resilint: resilience policy-as-code for failure-domain manifests."""

__version__ = "0.1.0"
