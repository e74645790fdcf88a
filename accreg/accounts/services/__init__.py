"""Account services, one module per business act: staff, registration, sign-in, SMS codes,
passwords, legacy activation, password reset."""
