"""The in-process room store (the default: one app process serves the class).

One lock guards every room, so concurrent answers are counted exactly once each; expired
rooms are dropped whenever the store is used (no thread of its own).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from .store import (
    MAX_OPTIONS,
    MAX_ROUNDS,
    Limits,
    RoomError,
    RoomState,
    RoomStore,
    check_option,
    check_session,
    check_step,
    key_digest,
    key_matches,
    new_code,
    new_key,
    normalise_code,
)

#: closed rooms remembered (as closed) at most: this many times the live rooms' bound
CLOSED_FACTOR = 10


@dataclass
class _Room:
    digest: str
    step: int
    touched: float
    students: set[str] = field(default_factory=set)
    #: step -> current round; steps never visited are at round 1
    rounds: dict[int, int] = field(default_factory=dict)
    revealed: set[int] = field(default_factory=set)
    #: (step, round) -> session -> option
    answers: dict[tuple[int, int], dict[str, int]] = field(default_factory=dict)
    #: (step, round) -> count per option
    counts: dict[tuple[int, int], list[int]] = field(default_factory=dict)


class MemoryStore(RoomStore):
    def __init__(self, limits: Limits | None = None, clock: Callable[[], float] | None = None):
        super().__init__(limits, clock)
        self._lock = threading.Lock()
        self._rooms: dict[str, _Room] = {}
        self._closed: dict[str, float] = {}

    # ------------------------------------------------------------------ internals
    def _purge(self, now: float) -> None:
        idle = self.limits.idle
        for table in (self._rooms, self._closed):
            old = [c for c, v in table.items()
                   if (v.touched if isinstance(v, _Room) else v) <= now - idle]
            for c in old:
                del table[c]

    def _room(self, code: str, now: float) -> _Room:
        code = normalise_code(code)
        self._purge(now)
        if code in self._closed:
            raise RoomError("closed")
        room = self._rooms.get(code)
        if room is None:
            raise RoomError("unknown")
        return room

    def _lecturer(self, code: str, key: str, now: float) -> _Room:
        room = self._room(code, now)
        if not key_matches(room.digest, key):
            raise RoomError("key")
        room.touched = now
        return room

    def _state(self, code: str, room: _Room) -> RoomState:
        step = room.step
        rnd = room.rounds.get(step, 1)
        shown = step in room.revealed
        counts = (tuple(tuple(room.counts.get((step, r), [0] * MAX_OPTIONS)) for r in range(1, rnd + 1))
                  if shown else None)
        return RoomState(normalise_code(code), step, rnd, shown, len(room.students),
                         len(room.answers.get((step, rnd), {})), counts)

    # ------------------------------------------------------------------ anyone
    def create(self, step: int = 1) -> tuple[str, str]:
        step = check_step(step)
        now = self.clock()
        key = new_key()
        with self._lock:
            self._purge(now)
            if len(self._rooms) >= self.limits.rooms:
                raise RoomError("rooms_full")
            code = new_code()
            while code in self._rooms or code in self._closed:
                code = new_code()
            self._rooms[code] = _Room(key_digest(key), step, now)
        return code, key

    def state(self, code: str) -> RoomState:
        with self._lock:
            return self._state(code, self._room(code, self.clock()))

    def join(self, code: str, session: str) -> RoomState:
        session = check_session(session)
        now = self.clock()
        with self._lock:
            room = self._room(code, now)
            if session not in room.students:
                if len(room.students) >= self.limits.students:
                    raise RoomError("full")
                room.students.add(session)
                room.touched = now
            return self._state(code, room)

    def answer(self, code: str, session: str, step: int, round_: int, option: int) -> bool:
        session, option, step = check_session(session), check_option(option), check_step(step)
        now = self.clock()
        with self._lock:
            room = self._room(code, now)
            if session not in room.students:
                raise RoomError("not_joined")
            if step != room.step or round_ != room.rounds.get(step, 1):
                raise RoomError("moved_on")
            if step in room.revealed:
                raise RoomError("revealed")
            given = room.answers.setdefault((step, round_), {})
            if session in given:
                return False
            given[session] = option
            room.counts.setdefault((step, round_), [0] * MAX_OPTIONS)[option] += 1
            room.touched = now
            return True

    def my_answer(self, code: str, session: str, step: int, round_: int) -> int | None:
        with self._lock:
            room = self._room(code, self.clock())
            return room.answers.get((step, round_), {}).get(session)

    # ------------------------------------------------------------------ the lecturer
    def is_lecturer(self, code: str, key: str) -> bool:
        with self._lock:
            return key_matches(self._room(code, self.clock()).digest, key)

    def goto(self, code: str, key: str, step: int) -> RoomState:
        step = check_step(step)
        with self._lock:
            room = self._lecturer(code, key, self.clock())
            room.step = step
            return self._state(code, room)

    def reveal(self, code: str, key: str) -> RoomState:
        with self._lock:
            room = self._lecturer(code, key, self.clock())
            room.revealed.add(room.step)
            return self._state(code, room)

    def vote_again(self, code: str, key: str) -> RoomState:
        with self._lock:
            room = self._lecturer(code, key, self.clock())
            rnd = room.rounds.get(room.step, 1)
            if rnd >= MAX_ROUNDS:
                raise RoomError("rounds")
            room.rounds[room.step] = rnd + 1
            room.revealed.discard(room.step)
            return self._state(code, room)

    def close(self, code: str, key: str) -> None:
        now = self.clock()
        with self._lock:
            self._lecturer(code, key, now)
            code = normalise_code(code)
            del self._rooms[code]
            self._closed[code] = now
            while len(self._closed) > CLOSED_FACTOR * self.limits.rooms:  # oldest first
                del self._closed[next(iter(self._closed))]
