"""Questions on a model, answered as values: what-if, risk groups, rule docs, diagrams."""
