"""Service-to-service auth: the signed bearer token every Loket service accepts.

The queue service owns staff accounts and issues tokens (``POST /api/queue/auth/token``); any
service verifies them with the shared secret, without reading another service's tables.
Devices (kiosk, display) present their own opaque tokens, which the queue service checks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, g, request, session
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from loket.errors import Forbidden, Unauthorized
from sop import roles as role_registry

TOKEN_MAX_AGE = 12 * 3600  # one working day and then some
# Every role a staff account may hold, and those allowed everywhere (admin): sop/data/roles.yaml.
STAFF_ROLES = role_registry.login_roles()
SYSTEM_ROLES = role_registry.system_roles()

F = TypeVar("F", bound=Callable[..., Any])


@dataclasses.dataclass(frozen=True)
class Principal:
    kind: str  # "staff", "device", or "service" (another Loket service, no account)
    id: int
    username: str
    roles: frozenset[str]
    counter_id: int | None = None
    section: str | None = None
    # A first-login (or reset) password: this token only changes the password.
    password_change_only: bool = False
    # The account's token version when the token was issued (loket.staff_sessions).
    token_version: int = 0

    @property
    def is_staff(self) -> bool:
        return self.kind == "staff"

    def has_any(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="loket-staff-token")


def issue_token(secret: str, principal: Principal) -> str:
    data = {"sid": principal.id, "u": principal.username, "r": sorted(principal.roles),
            "c": principal.counter_id, "s": principal.section}
    if principal.password_change_only:
        data["pw"] = 1
    if principal.token_version:
        data["v"] = principal.token_version
    if principal.kind == "service":
        data["k"] = "service"
    return _serializer(secret).dumps(data)


def verify_token(secret: str, token: str, max_age: int = TOKEN_MAX_AGE) -> Principal:
    try:
        data = _serializer(secret).loads(token, max_age=max_age)
    except SignatureExpired:
        raise Unauthorized("Sesi sudah berakhir; silakan masuk lagi.",
                           code="token_expired") from None
    except BadSignature:
        raise Unauthorized("Token tidak valid.", code="invalid_token") from None
    kind = "service" if data.get("k") == "service" else "staff"
    return Principal(kind=kind, id=int(data["sid"]), username=str(data["u"]),
                     roles=frozenset(data["r"]), counter_id=data.get("c"),
                     section=data.get("s"), password_change_only=bool(data.get("pw")),
                     token_version=int(data.get("v") or 0))


DeviceResolver = Callable[[str], Principal | None]


def current_principal() -> Principal | None:
    """The caller: bearer staff token, device token (via the app's resolver), or web session."""
    if "principal" in g:
        return g.principal  # type: ignore[no-any-return]
    principal: Principal | None = None
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        token = header[7:].strip()
        resolver: DeviceResolver | None = current_app.extensions.get("loket.device_resolver")
        if token.startswith("dev_") and resolver is not None:
            principal = resolver(token)
            if principal is None:
                raise Unauthorized("Token perangkat tidak dikenal atau sudah dicabut.",
                                   code="invalid_device_token")
        else:
            principal = verify_token(current_app.config["SECRET_KEY"], token)
    elif session.get("principal"):
        try:
            principal = verify_token(current_app.config["SECRET_KEY"], session["principal"])
        except Unauthorized:
            session.pop("principal", None)
            principal = None
    if principal is not None and principal.is_staff:
        _check_staff_session(principal)
    g.principal = principal
    return principal


StaffSessionCheck = Callable[[Principal], None]


def _check_staff_session(principal: Principal) -> None:
    """A token of a deactivated account, or one from before a logout, a password change or an
    account change, is refused (``loket.staff_sessions``; the queue checks its own table)."""
    check: StaffSessionCheck | None = current_app.extensions.get("loket.staff_session")
    if check is not None:
        check(principal)


def require(*roles: str, devices: tuple[str, ...] = ()) -> Callable[[F], F]:
    """Allow staff holding any of ``roles`` (or a system role: admin), and devices of the given
    kinds."""

    def decorator(fn: F) -> F:
        @wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            principal = current_principal()
            if principal is None:
                raise Unauthorized("Perlu masuk (login) atau token perangkat.")
            if principal.password_change_only:
                raise Forbidden("Ganti kata sandi Anda terlebih dahulu.",
                                code="password_change_required")
            if principal.kind == "device":
                if not principal.roles.intersection(devices):
                    raise Forbidden("Perangkat ini tidak boleh melakukan tindakan ini.")
            elif roles and not principal.roles.intersection((*roles, *SYSTEM_ROLES)):
                raise Forbidden("Peran Anda tidak berwenang melakukan tindakan ini.")
            return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
