"""A gateway that fails its first call, as a real provider does during an outage: the one fake,
at the edge, behind the same interface as the real backends."""

from accreg.notifications.sms import OutboxBackend


class FailingOnceBackend(OutboxBackend):
    calls = 0

    def send(self, to: str, text: str) -> None:
        type(self).calls += 1
        if type(self).calls == 1:
            raise ConnectionError("gateway unavailable")
        super().send(to, text)
