"""Email through the SMTP server that MAIL_URL names, sent from a background thread.

MAIL_URL is `smtp://host:port` (plain), `smtp+starttls://host:port` or `smtps://host:port`
(TLS from the start), with `user:password@` before the host when the server wants a login;
MAIL_FROM is the sender. Either unset: no mail is sent. A message goes out after the request's
transaction committed, in a thread of its own with a short timeout, so a slow or absent mail
server never holds up or fails the request that caused it; a failure is logged, not raised.
"""

import logging
import smtplib
import ssl
import threading
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from flask import current_app

_SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


def enabled() -> bool:
    return bool(current_app.config["MAIL_URL"] and current_app.config["MAIL_FROM"])


def send_later(recipients: list[str], subject: str, text: str) -> threading.Thread | None:
    """Send a plain-text message to each recipient from a background thread; the thread."""
    if not enabled() or not recipients:
        return None
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message.set_content(text)
    thread = threading.Thread(
        target=_send,
        args=(config["MAIL_URL"], float(config["MAIL_TIMEOUT"]), message, current_app.logger),
        name="marquee-mail",
        daemon=True,
    )
    thread.start()
    return thread


def _send(url: str, timeout: float, message: EmailMessage, logger: logging.Logger) -> None:
    try:
        parts = urlsplit(url)
        if parts.scheme not in _SCHEMES or not parts.hostname:
            raise ValueError("MAIL_URL must be smtp://, smtp+starttls:// or smtps://host:port")
        port = parts.port or _SCHEMES[parts.scheme]
        kind = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
        with kind(parts.hostname, port, timeout=timeout) as server:
            if parts.scheme == "smtp+starttls":
                server.starttls(context=ssl.create_default_context())
            if parts.username:
                server.login(unquote(parts.username), unquote(parts.password or ""))
            server.send_message(message)
    except Exception:
        logger.exception("mail %r to %s was not sent", message["Subject"], message["To"])
