"""A clock the retry helpers' tests control: `clock()` reads it, `sleep(s)` records the wait and moves it on."""


class FakeClock:
    def __init__(self, start=0.0):
        self.t = start
        self.sleeps = []

    def clock(self):
        return self.t

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.t += seconds
