"""The room store's one small interface (issue 28 item 5), what both stores share, and the
per-session rate limit.

A room is a lecturer's class: a short code of unambiguous letters, a lecturer key (only its
SHA-256 is stored; every check compares digests with :func:`hmac.compare_digest`), the step
the room is on, and per step its voting round (1, or 2 after "Vote again") and whether it is
revealed. Students are opaque session tokens the app draws at random (no name, nothing
personal); each may answer once per step and round, with an option index, nothing else.

Bounds: at most :data:`MAX_ROOMS` live rooms, :data:`MAX_STUDENTS` students a room, a room
expires after :data:`IDLE_SECONDS` without any change; a closed room is remembered as closed
for as long, so its students read "the lecturer ended the class" rather than "no such room".

Every failure is a :class:`RoomError` whose ``reason`` names a text (``room.err.<reason>``):
the page shows that, never a traceback. Times are passed in (``now``, seconds) by the stores'
clock, so tests drive expiry without waiting.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

#: letters that cannot be mistaken for each other or for digits (no B 8, I 1 L, O 0 Q, S 5, Z 2)
CODE_ALPHABET = "ACDEFGHJKMNPRTUVWXY"
CODE_LENGTH = 6
MAX_ROOMS = 200
MAX_STUDENTS = 1000
IDLE_SECONDS = 4 * 3600
#: answers a question may have (explorer.lesson.predict: 2-5)
MAX_OPTIONS = 5
#: voting rounds a step may have (the first vote, and "Vote again")
MAX_ROUNDS = 2
#: the steps a room can be on (the lesson's; checked by the caller against the tour)
MAX_STEP = 99
#: the most characters of a session token the stores accept
MAX_SESSION = 64

REASONS = ("unknown", "closed", "full", "rooms_full", "key", "moved_on", "revealed",
           "not_joined", "rate", "bad_option", "bad_step", "rounds", "bad_code")


class RoomError(Exception):
    """A refused room operation; ``reason`` is one of :data:`REASONS`."""

    def __init__(self, reason: str, detail: str = ""):
        if reason not in REASONS:
            raise ValueError(f"RoomError: unknown reason {reason!r}")
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class RoomState:
    """What anyone in the room may see: ``counts`` (per round of the current step, one count
    per option) only once the step is revealed; before that only how many answered."""

    code: str
    step: int
    round: int
    revealed: bool
    students: int
    answered: int
    counts: tuple[tuple[int, ...], ...] | None = None
    closed: bool = False


def normalise_code(raw: object) -> str:
    """A typed or linked code as the stores spell it (upper case, spaces and dashes dropped);
    ``bad_code`` if it cannot be one (wrong length or a letter outside the alphabet)."""
    s = "".join(str(raw or "").split()).replace("-", "").upper()
    if len(s) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in s):
        raise RoomError("bad_code")
    return s


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_key() -> str:
    return secrets.token_urlsafe(18)


def key_digest(key: str) -> str:
    return hashlib.sha256(str(key).encode("utf-8", "replace")).hexdigest()


def key_matches(stored_digest: str | None, key: object) -> bool:
    """The lecturer key check, in constant time over the digests."""
    if not stored_digest or not isinstance(key, str) or not key:
        return False
    return hmac.compare_digest(stored_digest.encode(), key_digest(key).encode())


def check_session(session: object) -> str:
    if not isinstance(session, str) or not 0 < len(session) <= MAX_SESSION:
        raise RoomError("not_joined", "bad session token")
    return session


def check_option(option: object) -> int:
    if isinstance(option, bool) or not isinstance(option, int) or not 0 <= option < MAX_OPTIONS:
        raise RoomError("bad_option")
    return option


def check_step(step: object) -> int:
    if isinstance(step, bool) or not isinstance(step, int) or not 1 <= step <= MAX_STEP:
        raise RoomError("bad_step")
    return step


@dataclass
class Limits:
    """A store's bounds (tests lower them)."""

    rooms: int = MAX_ROOMS
    students: int = MAX_STUDENTS
    idle: float = IDLE_SECONDS


class RoomStore(ABC):
    """The room store's interface: the in-process :class:`~.memory.MemoryStore` and the
    :class:`~.redis_store.RedisStore` behave the same (one test module runs on both)."""

    def __init__(self, limits: Limits | None = None, clock: Callable[[], float] | None = None):
        self.limits = limits or Limits()
        self.clock = clock or time.time

    # --- anyone
    @abstractmethod
    def create(self, step: int = 1) -> tuple[str, str]:
        """A new room on ``step``: ``(code, lecturer key)``; ``rooms_full`` at the bound."""

    @abstractmethod
    def state(self, code: str) -> RoomState:
        """The room as anyone sees it; ``unknown`` (or expired), ``closed``."""

    @abstractmethod
    def join(self, code: str, session: str) -> RoomState:
        """Count ``session`` as a student (again: no change); ``full`` at the bound."""

    @abstractmethod
    def answer(self, code: str, session: str, step: int, round_: int, option: int) -> bool:
        """One answer of a joined student to the question of ``step`` in ``round_``: True if
        counted, False if this student already answered this round (the first answer stays).
        ``moved_on`` if the room is on another step or round, ``revealed`` after the reveal."""

    @abstractmethod
    def my_answer(self, code: str, session: str, step: int, round_: int) -> int | None:
        """The option ``session`` chose in that round (None: none)."""

    # --- the lecturer (``key``: ``key`` error if wrong, nothing changed)
    @abstractmethod
    def goto(self, code: str, key: str, step: int) -> RoomState:
        """Move the room to ``step`` (its rounds and reveal as they were left)."""

    @abstractmethod
    def reveal(self, code: str, key: str) -> RoomState:
        """Reveal the current step: its counts become visible; no more answers this round."""

    @abstractmethod
    def vote_again(self, code: str, key: str) -> RoomState:
        """A second round on the current step (unrevealed; ``rounds`` after MAX_ROUNDS)."""

    @abstractmethod
    def close(self, code: str, key: str) -> None:
        """End the room for everyone."""

    @abstractmethod
    def is_lecturer(self, code: str, key: str) -> bool:
        """Whether ``key`` is the room's lecturer key (constant-time digest comparison)."""


@dataclass
class RateLimit:
    """At most ``burst`` events per session in any ``window`` seconds (a sliding window, in
    process: a session lives on one app process). ``allow`` counts an allowed event."""

    burst: int
    window: float
    clock: Callable[[], float] = time.time
    max_sessions: int = 20000
    _seen: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def allow(self, session: str) -> bool:
        now = self.clock()
        with self._lock:
            times = [t for t in self._seen.pop(session, []) if t > now - self.window]
            ok = len(times) < self.burst
            if ok:
                times.append(now)
            self._seen[session] = times
            while len(self._seen) > self.max_sessions:  # bounded: drop the least recent
                self._seen.popitem(last=False)
            return ok
