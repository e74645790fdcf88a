"""Review (审核): the jurisdiction-scoped queue, the detail of a submission and the decision."""
