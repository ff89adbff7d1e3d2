"""The Redis room store: several app processes (replicas behind a load balancer) share one
class through one Redis (``AE_ROOM_STORE=redis://host:6379/0``).

Every operation is one Lua script, so it runs atomically in Redis: an answer is counted with
``HSETNX`` (one per student and round) and ``HINCRBY`` in the same script, never lost or
doubled however many processes answer at once. Keys of a room ``C`` (prefix ``ae:room:``):
``C`` (hash: key digest, step, last change), ``C:st`` (students), ``C:rd`` (round per step),
``C:rv`` (revealed steps), ``C:a:<step>:<round>`` (session -> option), ``C:c:<step>:<round>``
(option -> count), ``C:keys`` (those per-step keys), ``C:closed`` (marker after Close); the
sorted set ``ae:rooms`` (code -> last change) bounds the live rooms. Idle expiry follows the
store's clock like the in-process store; Redis TTLs (idle + a margin) collect what is left.
The lecturer key is checked in Python with :func:`hmac.compare_digest` on digests; the script
then re-checks the digest so that nothing changes if the room changed in between.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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

PREFIX = "ae:room:"
ROOMS = "ae:rooms"
#: seconds Redis keeps a room's keys beyond its idle expiry (the clock check decides first)
TTL_MARGIN = 3600

# KEYS[1] room hash, KEYS[2] the rooms' sorted set; ARGV[1] now, [2] idle, [3] ttl, [4] code
_PRELUDE = """
local K, Z = KEYS[1], KEYS[2]
local now, idle, ttl, code = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local NOPT, FIXED = @NOPT@, {':st', ':rd', ':rv', ':keys'}
local function gone()
  if redis.call('EXISTS', K .. ':closed') == 1 then return 'closed' end
  local t = redis.call('HGET', K, 'touched')
  if (not t) or tonumber(t) <= now - idle then return 'unknown' end
  return false
end
local function touch(all, extra)
  redis.call('HSET', K, 'touched', now)
  redis.call('EXPIRE', K, ttl)
  redis.call('ZADD', Z, 'XX', now, code)
  for _, s in ipairs(FIXED) do redis.call('EXPIRE', K .. s, ttl) end
  if all then
    for _, k in ipairs(redis.call('SMEMBERS', K .. ':keys')) do redis.call('EXPIRE', k, ttl) end
  end
  for _, k in ipairs(extra or {}) do redis.call('EXPIRE', k, ttl) end
end
local function round_of(step) return tonumber(redis.call('HGET', K .. ':rd', step) or '1') end
local function state()
  local step = tonumber(redis.call('HGET', K, 'step'))
  local rnd = round_of(step)
  local shown = redis.call('SISMEMBER', K .. ':rv', step)
  local out = {'ok', step, rnd, shown, redis.call('SCARD', K .. ':st'),
               redis.call('HLEN', K .. ':a:' .. step .. ':' .. rnd)}
  if shown == 1 then
    for r = 1, rnd do
      for o = 0, NOPT - 1 do
        out[#out + 1] = tonumber(redis.call('HGET', K .. ':c:' .. step .. ':' .. r, o) or '0')
      end
    end
  end
  return out
end
local function lecturer()
  local g = gone()
  if g then return g end
  if redis.call('HGET', K, 'digest') ~= ARGV[5] then return 'key' end
  return false
end
""".replace("@NOPT@", str(MAX_OPTIONS))

_SCRIPTS = {
    # ARGV[5] digest, [6] step, [7] max rooms
    "create": """
redis.call('ZREMRANGEBYSCORE', Z, '-inf', now - idle)
if redis.call('EXISTS', K) == 1 or redis.call('EXISTS', K .. ':closed') == 1 then
  return {'err', 'taken'} end
if redis.call('ZCARD', Z) >= tonumber(ARGV[7]) then return {'err', 'rooms_full'} end
redis.call('HSET', K, 'digest', ARGV[5], 'step', ARGV[6], 'touched', now)
redis.call('EXPIRE', K, ttl)
redis.call('ZADD', Z, now, code)
return {'ok'}
""",
    "state": "local g = gone() if g then return {'err', g} end return state()",
    "digest": "local g = gone() if g then return {'err', g} end "
              "return {'ok', redis.call('HGET', K, 'digest')}",
    # ARGV[5] session, [6] max students
    "join": """
local g = gone() if g then return {'err', g} end
if redis.call('SISMEMBER', K .. ':st', ARGV[5]) == 0 then
  if redis.call('SCARD', K .. ':st') >= tonumber(ARGV[6]) then return {'err', 'full'} end
  redis.call('SADD', K .. ':st', ARGV[5])
  touch(false)
end
return state()
""",
    # ARGV[5] session, [6] step, [7] round, [8] option
    "answer": """
local g = gone() if g then return {'err', g} end
if redis.call('SISMEMBER', K .. ':st', ARGV[5]) == 0 then return {'err', 'not_joined'} end
local step = redis.call('HGET', K, 'step')
if step ~= ARGV[6] or round_of(step) ~= tonumber(ARGV[7]) then return {'err', 'moved_on'} end
if redis.call('SISMEMBER', K .. ':rv', step) == 1 then return {'err', 'revealed'} end
local a = K .. ':a:' .. step .. ':' .. ARGV[7]
local c = K .. ':c:' .. step .. ':' .. ARGV[7]
if redis.call('HSETNX', a, ARGV[5], ARGV[8]) == 0 then return {'ok', 0} end
redis.call('HINCRBY', c, ARGV[8], 1)
redis.call('SADD', K .. ':keys', a, c)
touch(false, {a, c})
return {'ok', 1}
""",
    # ARGV[5] session, [6] step, [7] round
    "mine": """
local g = gone() if g then return {'err', g} end
local v = redis.call('HGET', K .. ':a:' .. ARGV[6] .. ':' .. ARGV[7], ARGV[5])
if v then return {'ok', tonumber(v)} end
return {'ok'}
""",
    # ARGV[5] digest, [6] step
    "goto": """
local e = lecturer() if e then return {'err', e} end
redis.call('HSET', K, 'step', ARGV[6])
touch(true)
return state()
""",
    "reveal": """
local e = lecturer() if e then return {'err', e} end
redis.call('SADD', K .. ':rv', redis.call('HGET', K, 'step'))
touch(true)
return state()
""",
    # ARGV[6] max rounds
    "again": """
local e = lecturer() if e then return {'err', e} end
local step = redis.call('HGET', K, 'step')
local rnd = round_of(step)
if rnd >= tonumber(ARGV[6]) then return {'err', 'rounds'} end
redis.call('HSET', K .. ':rd', step, rnd + 1)
redis.call('SREM', K .. ':rv', step)
touch(true)
return state()
""",
    "close": """
local e = lecturer() if e then return {'err', e} end
local ks = redis.call('SMEMBERS', K .. ':keys')
for _, k in ipairs(ks) do redis.call('DEL', k) end
for _, s in ipairs(FIXED) do redis.call('DEL', K .. s) end
redis.call('DEL', K)
redis.call('ZREM', Z, code)
redis.call('SET', K .. ':closed', '1', 'EX', math.max(1, math.floor(idle)))
return {'ok'}
""",
}


def _text(v: Any) -> str:
    return v.decode() if isinstance(v, bytes) else str(v)


class RedisStore(RoomStore):
    """:class:`RoomStore` on a Redis server (``url``: ``redis://host:port/db``; or a ready
    ``client``)."""

    def __init__(self, url: str | None = None, limits: Limits | None = None,
                 clock: Callable[[], float] | None = None, client: Any = None,
                 prefix: str = PREFIX, rooms_key: str = ROOMS):
        super().__init__(limits, clock)
        if client is None:
            import redis
            client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self.client = client
        self.prefix, self.rooms_key = prefix, rooms_key
        self._scripts = {name: client.register_script(_PRELUDE + body)
                         for name, body in _SCRIPTS.items()}

    def _run(self, name: str, code: str, *args: Any) -> list:
        now = self.clock()
        idle = self.limits.idle
        ttl = int(idle) + TTL_MARGIN
        out = self._scripts[name](keys=[self.prefix + code, self.rooms_key],
                                  args=[repr(float(now)), repr(float(idle)), ttl, code, *args])
        out = [_text(x) if isinstance(x, bytes) else x for x in out]
        if out and out[0] == "err":
            raise RoomError(out[1]) if out[1] != "taken" else _Taken()
        return out

    def _state(self, code: str, out: list) -> RoomState:
        _, step, rnd, shown, students, answered, *flat = out
        counts = (tuple(tuple(int(x) for x in flat[r * MAX_OPTIONS:(r + 1) * MAX_OPTIONS])
                        for r in range(int(rnd))) if shown else None)
        return RoomState(code, int(step), int(rnd), bool(shown), int(students), int(answered),
                         counts)

    def _digest(self, code: str, key: str) -> str:
        digest = _text(self._run("digest", code)[1])
        if not key_matches(digest, key):
            raise RoomError("key")
        return digest

    # ------------------------------------------------------------------ anyone
    def create(self, step: int = 1) -> tuple[str, str]:
        step = check_step(step)
        key = new_key()
        for _ in range(20):
            code = new_code()
            try:
                self._run("create", code, key_digest(key), step, self.limits.rooms)
                return code, key
            except _Taken:
                continue
        raise RoomError("rooms_full", "no free code")

    def state(self, code: str) -> RoomState:
        code = normalise_code(code)
        return self._state(code, self._run("state", code))

    def join(self, code: str, session: str) -> RoomState:
        code, session = normalise_code(code), check_session(session)
        return self._state(code, self._run("join", code, session, self.limits.students))

    def answer(self, code: str, session: str, step: int, round_: int, option: int) -> bool:
        code, session = normalise_code(code), check_session(session)
        step, option = check_step(step), check_option(option)
        if isinstance(round_, bool) or not isinstance(round_, int):
            raise RoomError("moved_on")
        return bool(self._run("answer", code, session, step, round_, option)[1])

    def my_answer(self, code: str, session: str, step: int, round_: int) -> int | None:
        out = self._run("mine", normalise_code(code), check_session(session), int(step),
                        int(round_))
        return int(out[1]) if len(out) > 1 else None

    # ------------------------------------------------------------------ the lecturer
    def is_lecturer(self, code: str, key: str) -> bool:
        code = normalise_code(code)
        return key_matches(_text(self._run("digest", code)[1]), key)

    def goto(self, code: str, key: str, step: int) -> RoomState:
        code, step = normalise_code(code), check_step(step)
        return self._state(code, self._run("goto", code, self._digest(code, key), step))

    def reveal(self, code: str, key: str) -> RoomState:
        code = normalise_code(code)
        return self._state(code, self._run("reveal", code, self._digest(code, key)))

    def vote_again(self, code: str, key: str) -> RoomState:
        code = normalise_code(code)
        return self._state(code, self._run("again", code, self._digest(code, key),
                                           MAX_ROUNDS))

    def close(self, code: str, key: str) -> None:
        code = normalise_code(code)
        self._run("close", code, self._digest(code, key))


class _Taken(Exception):
    """create: the drawn code is in use (draw another)."""
