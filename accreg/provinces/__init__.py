"""Province rules (省份规则): the per-province differences, read from provinces/*.toml."""
