"""The Lesson's prediction, alone (issue 28 item 1): before a step shows its run, the reader
taps one answer; then the reveal shows the guess beside the measurement.

The guess lives in the session only, per step and seed (the answer's widget key); nothing is
sent anywhere. The question, answers and reveal are :mod:`explorer.lesson.predict`'s.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ..lesson import predict as pr

#: session key of "shown without guessing" for a step and seed
_SKIP = "lesson.predict_skip.{n}.{seed}"
_PILL = "lesson.predict_pill.{n}.{seed}"


def _keys(n: int, seed: int) -> tuple[str, str]:
    return _PILL.format(n=n, seed=seed), _SKIP.format(n=n, seed=seed)


def _again(n: int, seed: int) -> None:
    """Guess again: forget this step's guess (a button's callback, before the script)."""
    for k in _keys(n, seed):
        st.session_state.pop(k, None)


def _skip(n: int, seed: int) -> None:
    st.session_state[_keys(n, seed)[1]] = True


def ask(name: str, n: int, seed: int, lang: str) -> tuple[bool, int | None]:
    """Draw the question of step ``n`` (``name``) and its answers as one-tap pills.

    Returns ``(reveal, guess)``: ``reveal`` False while the reader has not answered (the page
    then shows nothing of the run), ``guess`` the tapped answer's index (None if the reader
    chose to see the run without guessing)."""
    pill, skip = _keys(n, seed)
    labels = pr.option_labels(name, lang)
    guess = st.session_state.get(pill)
    skipped = bool(st.session_state.get(skip))
    done = guess is not None or skipped
    with st.container(border=True, key="lesson_predict"):
        st.markdown(f"**{pr.tp('predict_heading', lang)}:** {pr.question_text(name, lang)}")
        st.pills(pr.question_text(name, lang), list(range(len(labels))), key=pill,
                 format_func=labels.__getitem__, label_visibility="collapsed",
                 disabled=done)
        if not done:
            cols = st.columns([3, 1], vertical_alignment="center")
            cols[0].caption(pr.tp("predict_pick", lang))
            cols[1].button(pr.tp("predict_skip", lang), key="lesson_predict_skip",
                           on_click=_skip, args=(n, seed), type="tertiary")
    return done, (int(guess) if guess is not None else None)


def reveal(name: str, n: int, seed: int, result: dict[str, Any], guess: int | None,
           lang: str) -> None:
    """The guess beside the measurement, and "Guess again"."""
    with st.container(key="lesson_reveal"):
        st.markdown(pr.reveal_text(name, result, guess, lang))
        st.button(pr.tp("predict_again", lang), key="lesson_predict_again", on_click=_again,
                  args=(n, seed), icon=":material/replay:", type="tertiary")


def question_markdown(name: str, lang: str) -> str:
    """The question large, its answers lettered (the projector, while the room answers)."""
    labels = pr.option_labels(name, lang)
    items = "\n".join(f"{i + 1}. {label}" for i, label in enumerate(labels))
    return f"### {pr.question_text(name, lang)}\n\n{items}"


def answer_markdown(name: str, result: dict[str, Any], lang: str) -> str:
    """After Reveal: the measurement and the answer it shows."""
    return pr.reveal_text(name, result, None, lang)
