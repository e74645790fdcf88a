"""Code lists (代码表): the coded values of the record, with national standard codes where one exists."""
