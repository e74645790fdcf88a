"""Accounts: staff (reviewers, administrators) now; accountants and every sign-in method later."""
