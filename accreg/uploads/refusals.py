"""The one error image fixing raises (imaging.py and faces.py)."""


class ImageRefused(ValueError):
    """The upload cannot be made to meet the rule; the message says why and what to do."""
