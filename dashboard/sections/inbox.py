"""Alerts in the app (issue 24): the Follow buttons of the initiative page, the inbox page's
list, and the bell's label in the sidebar.

The inbox reads the same outbox rows ``notify`` sends, so local mode (no mail server, no
sign-in) sees every alert here. A link in an alert is an address of the app; shown here it
opens in this tab.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

import streamlit as st

from dashboard import auth as app_auth
from dashboard.cache import (
    cached_inbox,
    cached_unread_alerts,
    cached_watches,
    clear_caches,
    get_metrics,
)
from jwmetrics.alerts import DELIVERIES, InboxItem, WatchRecord, user_key
from jwmetrics.periods import format_date
from jwmetrics.problems import InputError
from jwmetrics.text import plain

FOLLOW_FLASH = "follow_flash"


def alert_user() -> str:
    """Whose alerts this session reads: the signed-in e-mail, or the local user."""
    return user_key(app_auth.current_actor())


def bell_label() -> str:
    """The inbox's link in the sidebar: "Inbox · 3 unread" (or just "Inbox")."""
    try:
        unread = cached_unread_alerts(alert_user())
    except PermissionError:
        return "Inbox"
    return f"Inbox · {unread} unread" if unread else "Inbox"


def show_follow(initiative: str, initiative_name: str, measure: str, area: str) -> None:
    """Follow (or unfollow) this measure in this area, and this initiative."""
    user = alert_user()
    mine = {w.what: w.id for w in cached_watches(user)}
    flash = st.session_state.pop(FOLLOW_FLASH, None)
    if flash:
        st.toast(plain(flash), icon=":material/notifications:")
    series = f"measure:{measure}@{area}"
    whole = f"initiative:{initiative}"
    # One button a line: side by side, a narrow window cut their labels short ("Unfollo…").
    _toggle(series, mine.get(series), "this measure here", f"follow_{measure}_{area}")
    _toggle(whole, mine.get(whole), plain(initiative_name), f"follow_{initiative}")


def _toggle(what: str, watch_id: int | None, label: str, key: str) -> None:
    if watch_id is None:
        if st.button(f"Follow {label}", key=key, icon=":material/notifications:"):
            _write(
                lambda: get_metrics().add_watch(what, actor=app_auth.current_actor()), "Following"
            )
    elif st.button(f"Unfollow {label}", key=key, icon=":material/notifications_off:"):
        _write(
            lambda: get_metrics().remove_watch(watch_id, actor=app_auth.current_actor()),
            "No longer following",
        )


def _write(write: Callable[[], WatchRecord], done: str) -> None:
    """Follow or unfollow; on success clear the caches and rerun to show it."""
    try:
        record = write()
    except (InputError, PermissionError) as exc:
        st.error(plain(str(exc)))
        return
    st.session_state[FOLLOW_FLASH] = f"{done} {record.what}. Alerts come to your inbox."
    clear_caches()
    st.rerun()


def show_inbox() -> None:
    """The user's alerts, newest first, unread marked; mark read; the digest choice."""
    user = alert_user()
    items = cached_inbox(user)
    unread = [i.id for i in items if not i.read]
    top = st.columns([2, 1])
    top[0].markdown(f"**{len(unread)} unread** of {len(items)} alert(s) for {plain(user)}.")
    if unread and top[1].button("Mark all read", key="inbox_read"):
        get_metrics().mark_alerts_read(user)
        clear_caches()
        st.rerun()
    if not items:
        st.info(
            "No alerts yet. Follow an initiative or a measure on the Initiative page: a status "
            "change, a Red call, a verdict, a revision beyond the noise and more come here."
        )
    for item in items:
        _show_item(item)
    _delivery_choice(user)


def _show_item(item: InboxItem) -> None:
    when = f"{format_date(item.created_at.date())}, {item.created_at:%H:%M}"
    mark = "" if item.read else "● "
    with st.expander(f"{mark}{plain(item.subject)} · {when}", expanded=not item.read):
        body = item.body.rsplit("\n\nOpen it:", 1)[0]
        for paragraph in body.split("\n"):
            if paragraph.strip():
                st.text(paragraph)
        parts = urlsplit(item.link)
        st.page_link(
            f"pages/{'initiative' if parts.path == '/initiative' else 'returns_log'}.py",
            label="Open the page, as known on the day",
            icon=":material/open_in_new:",
            query_params=dict(parse_qsl(parts.query)) or None,
        )


def _delivery_choice(user: str) -> None:
    with st.expander("E-mail delivery"):
        choice = st.radio(
            "Send my alerts by e-mail", DELIVERIES, horizontal=True, key="inbox_delivery"
        )
        st.caption(
            "Immediate: one e-mail per alert when `notify` runs; daily or weekly: one digest. "
            "The inbox shows every alert whatever you choose."
        )
        if st.button("Save", key="inbox_delivery_save"):
            get_metrics().add_delivery_preference(choice, actor=app_auth.current_actor())
            st.toast(f"Alerts: {choice}.")
