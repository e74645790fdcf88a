"""Collection (信息采集): the accountant's record, its sections, their rules, drafts and completeness."""
