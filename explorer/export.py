"""Exports: a run's history and per-layer statistics as CSV, the config as JSON (and back).

Plain functions on records and configs; the download buttons live in ``explorer.app.data``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import pandas as pd

from .config import FIELDS, TrainConfig, format_value
from .record import RunRecord

MAX_CONFIG_BYTES = 20_000
#: a settings file nests at most this deep (the format needs 4: [[120, 1.0]] in "config")
MAX_CONFIG_DEPTH = 20
#: and its whole numbers have at most this many digits (Python refuses over 4,300)
MAX_CONFIG_DIGITS = 30


def _with_run(frame: pd.DataFrame, rec: RunRecord, many: bool) -> pd.DataFrame:
    if not many:
        return frame
    out = frame.copy()
    out.insert(0, "activation", rec.config.activation)
    out.insert(1, "label", rec.label)
    return out


def history_csv(records: RunRecord | Sequence[RunRecord]) -> bytes:
    """Per-epoch train/test loss and accuracy (one block per run when several)."""
    recs = [records] if isinstance(records, RunRecord) else list(records)
    many = len(recs) > 1
    frame = pd.concat([_with_run(r.history, r, many) for r in recs], ignore_index=True)
    return frame.to_csv(index=False, float_format="%.10g").encode()


def layer_stats_csv(records: RunRecord | Sequence[RunRecord]) -> bytes:
    """Per-checkpoint, per-layer statistics (gradient norm, dead %, saturated %, ...)."""
    recs = [records] if isinstance(records, RunRecord) else list(records)
    many = len(recs) > 1
    frame = pd.concat([_with_run(r.layer_stats, r, many) for r in recs], ignore_index=True)
    return frame.to_csv(index=False, float_format="%.10g").encode()


def config_json(cfg: TrainConfig, extra: dict[str, str] | None = None) -> str:
    """All fields of ``cfg`` as URL-style strings (so the file and a link are one format)."""
    payload = {"app": "activation-explorer", "version": 1,
               "config": cfg.to_query(all_fields=True)}
    if extra:
        payload["page"] = dict(extra)
    return json.dumps(payload, indent=2, ensure_ascii=False)


def config_from_json(data: bytes | str, base: TrainConfig | None = None,
                     ) -> tuple[TrainConfig, dict[str, str], list[str]]:
    """Parse a file written by ``config_json``: (config, page keys, errors).

    Never executes anything; a broken or foreign file gives errors and the base config.
    """
    base = base or TrainConfig()
    raw = data.encode() if isinstance(data, str) else data
    if len(raw) > MAX_CONFIG_BYTES:
        return base, {}, [f"config file is larger than {MAX_CONFIG_BYTES // 1000} kB"]
    try:
        text = raw.decode("utf-8-sig")
        if _depth(text) > MAX_CONFIG_DEPTH:
            return base, {}, [f"not an Activation Explorer config (nested more than "
                              f"{MAX_CONFIG_DEPTH} levels deep)"]
        payload = json.loads(text, parse_int=_bounded_int)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return base, {}, [f"not a JSON file: {exc}"]
    except (ValueError, RecursionError):  # (a number too long: see _bounded_int)
        return base, {}, [f"not an Activation Explorer config (a number with more than "
                          f"{MAX_CONFIG_DIGITS} digits)"]
    if not isinstance(payload, dict) or not isinstance(payload.get("config"), dict):
        return base, {}, ["not an Activation Explorer config (no 'config' object)"]
    fields = {str(k): _as_text(FIELDS.get(str(k)), v) for k, v in payload["config"].items()}
    unknown = sorted(set(fields) - set(FIELDS))
    cfg, errors = TrainConfig.from_query(fields, base)
    errors += [f"{k}: unknown setting, ignored" for k in unknown]
    page = payload.get("page") if isinstance(payload.get("page"), dict) else {}
    return cfg, {str(k): str(v) for k, v in page.items()}, errors


def _depth(text: str) -> int:
    """The deepest nesting of arrays and objects in JSON ``text`` (brackets inside strings
    ignored), counted without parsing it."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_CONFIG_DIGITS:
        raise ValueError("number too long")
    return int(digits)


def _as_text(field, value: object) -> str:
    """A JSON value as the URL string ``from_query`` parses (bad values stay visibly bad)."""
    if isinstance(value, str):
        return value
    if field is not None and field.kind in ("layers", "acts", "features") and isinstance(value, list):
        return "-".join(str(v) for v in value)
    if field is not None and field.kind == "lr_changes" and isinstance(value, list):
        # [[120, 1.0], ...] -> 120_1 (each pair as written; from_query checks it)
        if all(isinstance(p, list) and len(p) == 2 for p in value):
            return "-".join(f"{p[0]}_{p[1]}" for p in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)) and field is not None:
        try:
            return format_value(field, value)
        except (TypeError, ValueError):
            return str(value)
    return json.dumps(value)
