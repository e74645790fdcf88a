"""Public pages: the national landing page and each province portal's home page."""
