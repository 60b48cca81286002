"""The gate around a result: waivers and baselines."""
