"""证件号占用申诉 (issue 15 item 4): a person whose ID number is taken claims the account."""
