"""Sign-in for the dashboards: who may see what, and the hashed-password user file.

The user file (setting ``auth_config``: env ``IPWH_AUTH_CONFIG``, default ``<repo>/auth.yaml``, which git
ignores) is YAML::

    users:
      city_lead:
        name: 市知识产权局
        role: city                 # sees everything
        password_hash: scrypt$16384$8$1$<salt>$<hash>
      qingfeng:
        name: 清丰县市场监管局
        role: unit                 # city totals, and enterprise-level pages of its own unit only
        region_code: "410922"
        password_hash: scrypt$...

The dashboards fail closed: without the file nobody gets in (the app says why, in Chinese), unless
demo mode is asked for explicitly with ``IPWH_DEMO=1`` (``make demo``); a file that cannot be used
refuses too. The file also holds ``session_secret``, the key that signs the sign-in tokens kept in
the browser (so a sign-in survives a refresh or a new tab); it is written on the first save.

Passwords must have at least 10 characters, letters and digits, and must not contain the user name.
Unit users' region codes must be assessment units of the active region pack (``IPWH_REGION_PACK``).

Passwords are stored only as salted scrypt hashes (``hashlib.scrypt``); PBKDF2-SHA256 hashes
(``pbkdf2_sha256$<iterations>$<salt>$<hash>``) are accepted too. Manage users with::

    python -m dashboards.auth add-user qingfeng --name 清丰县 --role unit --region 410922
    printf '%s\n' "$PASSWORD" | python -m dashboards.auth set-password qingfeng --password-stdin
    python -m dashboards.auth remove-user qingfeng
    python -m dashboards.auth list-users

This module does not import Streamlit; the sign-in form is ``dashboards.components.signin``.
"""

from __future__ import annotations

import argparse
import base64
import csv
import getpass
import hashlib
import hmac
import os
import re
import secrets
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# Roles: who sees which records. ``ROLE_SCOPES`` says whether a role sees every unit's records
# ("all") or only its own unit's ("unit"); a new role is one entry here (and in ROLE_LABELS).
ROLE_CITY = "city"
ROLE_UNIT = "unit"
ROLE_DATA = "data"  # data staff: everything a city user sees, plus the 数据上传 page
ROLE_SCOPES = {ROLE_CITY: "all", ROLE_UNIT: "unit", ROLE_DATA: "all"}
ROLES = tuple(ROLE_SCOPES)
ROLE_LABELS = {ROLE_CITY: "市级（全部数据）", ROLE_UNIT: "县区（本单位企业明细）", ROLE_DATA: "数据管理（上传导出文件）"}

SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_DKLEN = 2**14, 8, 1, 32
MIN_PASSWORD_LENGTH = 10
NO_AUTH_FILE_MESSAGE = "未找到登录配置文件 {path}：系统不对外开放。请管理员用 python -m dashboards.auth add-user 创建账号，或以演示模式（IPWH_DEMO=1）启动"


class AuthConfigError(Exception):
    """The user file exists but cannot be used; the message is shown to the user (Chinese)."""


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a signed-in user, or the demo (no sign-in configured)."""

    username: str | None
    display_name: str
    role: str
    region_code: str | None = None
    demo: bool = False

    @property
    def sees_all_units(self) -> bool:
        return ROLE_SCOPES.get(self.role) == "all"


DEMO_VIEWER = Viewer(username=None, display_name="演示用户", role=ROLE_CITY, demo=True)


@dataclass(frozen=True)
class UserRecord:
    username: str
    name: str
    role: str
    region_code: str | None
    password_hash: str

    def viewer(self) -> Viewer:
        return Viewer(self.username, self.name or self.username, self.role, self.region_code)


# --- hashing -------------------------------------------------------------------------------------


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A salted scrypt hash in the form ``scrypt$N$r$p$salt$hash`` (base64 parts)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=SCRYPT_DKLEN
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches the stored hash; False for a wrong password or a malformed hash."""
    try:
        scheme, *parts = stored.split("$")
        if scheme == "scrypt" and len(parts) == 5:
            n, r, p = (int(value) for value in parts[:3])
            salt, expected = base64.b64decode(parts[3]), base64.b64decode(parts[4])
            actual = hashlib.scrypt(
                password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=len(expected), maxmem=2**26
            )
        elif scheme == "pbkdf2_sha256" and len(parts) == 3:
            iterations = int(parts[0])
            salt, expected = base64.b64decode(parts[1]), base64.b64decode(parts[2])
            actual = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations, len(expected))
        else:
            return False
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def is_password_hash(text: str) -> bool:
    return isinstance(text, str) and text.split("$", 1)[0] in ("scrypt", "pbkdf2_sha256") and text.count("$") >= 3


# --- the user file -------------------------------------------------------------------------------


def default_config_path() -> Path:
    from orchestration.settings import get_settings

    return Path(get_settings().auth_config)


def _user_from_entry(username: str, entry: Any) -> UserRecord:
    if not isinstance(entry, dict):
        raise AuthConfigError(f"登录配置中用户 {username} 的格式不正确")
    if "password" in entry:
        raise AuthConfigError(f"登录配置中用户 {username} 写有明文密码：请用 python -m dashboards.auth set-password 设置")
    role = str(entry.get("role", ""))
    if role not in ROLES:
        raise AuthConfigError(f"登录配置中用户 {username} 的角色 {role!r} 无效（应为 {' 或 '.join(ROLES)}）")
    region = entry.get("region_code")
    region = None if region is None else str(region)
    if ROLE_SCOPES[role] == "unit" and not region:
        raise AuthConfigError(f"登录配置中县区用户 {username} 缺少 region_code")
    password_hash = str(entry.get("password_hash", ""))
    if not is_password_hash(password_hash):
        raise AuthConfigError(f"登录配置中用户 {username} 缺少有效的密码哈希")
    return UserRecord(str(username), str(entry.get("name") or username), role, region, password_hash)


def _read_document(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise AuthConfigError(f"登录配置文件无法读取：{exc.__class__.__name__}") from exc
    if not isinstance(document, dict):
        raise AuthConfigError("登录配置文件格式不正确（应为 users: 下列出用户）")
    return document


def load_users(path: Path | None = None, *, allow_empty: bool = False) -> dict[str, UserRecord] | None:
    """The users of the config file, or None when there is no file.

    A file without users is an error (nobody could sign in), unless ``allow_empty`` (editing it).
    """
    path = Path(path) if path is not None else default_config_path()
    document = _read_document(path)
    if document is None:
        return None
    users = document.get("users")
    if allow_empty and not users:
        return {}
    if not isinstance(users, dict) or not users:
        raise AuthConfigError("登录配置文件中没有用户（users）")
    return {str(name): _user_from_entry(str(name), entry) for name, entry in users.items()}


_PROCESS_SECRET = secrets.token_bytes(32)


def session_secret(path: Path | None = None) -> bytes:
    """The key that signs sign-in tokens: the file's ``session_secret``, else one per server process
    (an older file without it: sign-ins then survive refreshes but not a restart of the server)."""
    path = Path(path) if path is not None else default_config_path()
    document = _read_document(path) or {}
    secret = document.get("session_secret")
    if isinstance(secret, str) and len(secret) >= 32:
        return secret.encode("utf-8")
    return _PROCESS_SECRET


def authenticate(users: dict[str, UserRecord], username: str, password: str) -> Viewer | None:
    """The viewer for a correct username and password, else None (the same time either way)."""
    record = users.get(username.strip())
    if record is None:
        verify_password(password, hash_password("timing-equaliser", salt=b"\0" * 16))
        return None
    return record.viewer() if verify_password(password, record.password_hash) else None


def save_users(path: Path, users: dict[str, UserRecord]) -> None:
    """Write the file (owner read/write only), replacing it atomically; keeps (or creates) its session secret."""
    previous = _read_document(path) if path.exists() else None
    secret = (previous or {}).get("session_secret")
    if not (isinstance(secret, str) and len(secret) >= 32):
        secret = secrets.token_urlsafe(48)
    document = {
        "session_secret": secret,
        "users": {
            record.username: {
                key: value
                for key, value in (
                    ("name", record.name),
                    ("role", record.role),
                    ("region_code", record.region_code),
                    ("password_hash", record.password_hash),
                )
                if value is not None
            }
            for record in users.values()
        },
    }
    header = "# ipwh dashboard sign-in. Passwords are salted scrypt hashes; manage with python -m dashboards.auth\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(path.name + ".new")
    fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(header)
        yaml.safe_dump(document, handle, allow_unicode=True, sort_keys=False)
    os.replace(staging, path)


# --- the rules add-user and set-password check ---------------------------------------------------------


def password_problem(username: str, password: str) -> str | None:
    """Why a new password is refused (None when it is acceptable)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
    if not re.search(r"[^\W\d_]", password) or not re.search(r"\d", password):
        return "the password must contain both letters and digits"
    if len(username) >= 3 and username.lower() in password.lower():
        return "the password must not contain the user name"
    if len(set(password)) < 4:
        return "the password must not repeat one or two characters"
    return None


def region_pack_units(pack: str | None = None, seeds_dir: Path | None = None) -> dict[str, str]:
    """The assessment units (code -> name) of a region pack, from the dbt seed region_units.csv."""
    from orchestration.settings import DBT_PROJECT_DIR, get_settings

    pack = pack or get_settings().region_pack
    seed = (seeds_dir or DBT_PROJECT_DIR / "seeds") / "region_units.csv"
    with open(seed, encoding="utf-8", newline="") as handle:
        return {
            row["region_code"]: row["region_name"]
            for row in csv.DictReader(handle)
            if row["pack"] == pack and row["is_assessment_unit"].strip().lower() == "true"
        }


def add_user(
    path: Path, username: str, password: str, *, name: str = "", role: str = ROLE_CITY, region_code: str | None = None
) -> UserRecord:
    """Add or replace a user; ValueError (one line, English) when a rule is broken."""
    if not re.fullmatch(r"[A-Za-z0-9_.-]{2,64}", username):
        raise ValueError(f"user name {username!r} must be 2-64 letters, digits, '_', '.' or '-'")
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    needs_unit = ROLE_SCOPES[role] == "unit"
    if needs_unit and not region_code:
        raise ValueError("a unit user needs --region (the unit's region code)")
    if needs_unit:
        units = region_pack_units()
        if region_code not in units:
            from orchestration.settings import get_settings

            known = ", ".join(f"{code} {unit}" for code, unit in units.items())
            raise ValueError(f"region {region_code} is not an assessment unit of region pack "
                             f"{get_settings().region_pack!r} (units: {known})")
    elif region_code:
        raise ValueError(f"--region is only for role {ROLE_UNIT}")
    problem = password_problem(username, password)
    if problem:
        raise ValueError(problem)
    users = load_users(path, allow_empty=True) or {}
    record = UserRecord(username, name or username, role, region_code if needs_unit else None, hash_password(password))
    users[username] = record
    save_users(path, users)
    return record


# --- sign-in that survives a refresh: signed, expiring tokens ----------------------------------------


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _password_fingerprint(secret: bytes, record: UserRecord) -> str:
    return _b64url(hmac.new(secret, record.password_hash.encode("utf-8"), hashlib.sha256).digest()[:12])


def issue_token(secret: bytes, record: UserRecord, *, issued_at: float, seen_at: float | None = None) -> str:
    """A token naming the user, when they signed in and when they were last active, bound to their
    current password hash (a new password invalidates it) and signed with the file's secret.
    It never contains the password or its hash."""
    payload = "|".join((record.username, str(int(issued_at)), str(int(seen_at or issued_at)), _password_fingerprint(secret, record)))
    body = _b64url(payload.encode("utf-8"))
    signature = _b64url(hmac.new(secret, body.encode("ascii"), hashlib.sha256).digest())
    return f"{body}.{signature}"


@dataclass(frozen=True)
class TokenClaims:
    username: str
    issued_at: float
    seen_at: float


def verify_token(
    secret: bytes, token: str, users: dict[str, UserRecord], *, now: float, session_seconds: float, idle_seconds: float
) -> TokenClaims | None:
    """The claims of a valid token; None when forged, expired, idle too long, for a removed user, or
    issued before the user's password changed."""
    try:
        body, signature = token.split(".", 1)
        expected = _b64url(hmac.new(secret, body.encode("ascii"), hashlib.sha256).digest())
        if not hmac.compare_digest(expected, signature):
            return None
        username, issued, seen, fingerprint = _unb64url(body).decode("utf-8").split("|")
        issued_at, seen_at = float(issued), float(seen)
    except (ValueError, UnicodeError):
        return None
    record = users.get(username)
    if record is None or not hmac.compare_digest(fingerprint, _password_fingerprint(secret, record)):
        return None
    if not (issued_at <= now < issued_at + session_seconds) or now >= seen_at + idle_seconds:
        return None
    return TokenClaims(username, issued_at, seen_at)


# --- lock-out after repeated failures -----------------------------------------------------------------


@dataclass
class Lockout:
    """Failed sign-ins per user name and per client (address) within a window.

    ``max_failures`` failures for a user name within ``window_seconds`` lock that name for
    ``window_seconds``; a client is locked after twice as many (it may mistype several names).
    One instance per server process, shared by all sessions (a new browser tab does not reset it).
    """

    max_failures: int = 5
    window_seconds: float = 900.0
    clock: Any = time.time
    _failures: dict[tuple[str, str], deque] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: tuple[str, str], now: float) -> deque:
        stamps = self._failures.setdefault(key, deque())
        while stamps and stamps[0] <= now - self.window_seconds:
            stamps.popleft()
        return stamps

    def locked_until(self, username: str, client: str | None) -> float | None:
        """When the lock on this user name or client ends (None: not locked)."""
        now = self.clock()
        ends = []
        with self._lock:
            for key, limit in ((("user", username.strip().lower()), self.max_failures), (("client", client or ""), 2 * self.max_failures)):
                if key[1] == "":
                    continue
                stamps = self._recent(key, now)
                if len(stamps) >= limit:
                    ends.append(stamps[-limit] + self.window_seconds)
        return max(ends) if ends else None

    def failed(self, username: str, client: str | None) -> None:
        now = self.clock()
        with self._lock:
            for key in (("user", username.strip().lower()), ("client", client or "")):
                if key[1]:
                    self._recent(key, now).append(now)

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(("user", username.strip().lower()), None)


# --- command line --------------------------------------------------------------------------------


class CommandError(Exception):
    """A problem the command reports as one line."""


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise CommandError("no password on stdin")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise CommandError("no terminal to ask for the password: give it on stdin with --password-stdin")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Repeat password: "):
        raise CommandError("passwords differ")
    return first


def _run(args: argparse.Namespace, path: Path) -> str:
    if args.command == "add-user":
        record = add_user(path, args.username, _read_password(args.password_stdin),
                          name=args.name, role=args.role, region_code=args.region)
        return f"{path}: user {record.username} ({record.role}{' ' + record.region_code if record.region_code else ''})"
    if args.command == "set-password":
        users = load_users(path) or {}
        if args.username not in users:
            raise CommandError(f"no user {args.username}")
        old = users[args.username]
        add_user(path, old.username, _read_password(args.password_stdin),
                 name=old.name, role=old.role, region_code=old.region_code)
        return f"{path}: password of {args.username} changed (its sign-ins elsewhere end)"
    if args.command == "remove-user":
        users = load_users(path, allow_empty=True) or {}
        if users.pop(args.username, None) is None:
            raise CommandError(f"no user {args.username}")
        save_users(path, users)
        return f"{path}: user {args.username} removed"
    users = load_users(path)
    if users is None:
        return f"{path}: no user file (the dashboards refuse to start without one, unless IPWH_DEMO=1)"
    return "\n".join(f"{r.username}\t{r.role}\t{r.region_code or ''}\t{r.name}" for r in users.values())


def main(argv: list[str] | None = None) -> int:
    """The user admin command. Errors come as one line on stderr (exit 2), never a traceback."""
    parser = argparse.ArgumentParser(prog="python -m dashboards.auth", description="Manage dashboard sign-in users.")
    parser.add_argument("--config", help="user file (default: IPWH_AUTH_CONFIG or <repo>/auth.yaml)")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add-user", help="add or replace a user")
    add.add_argument("username")
    add.add_argument("--name", default="", help="display name (Chinese)")
    add.add_argument("--role", choices=ROLES, default=ROLE_CITY)
    add.add_argument("--region", help="region code of the unit (role unit), checked against the region pack")
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    setpw = sub.add_parser("set-password", help="change a user's password")
    setpw.add_argument("username")
    setpw.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    remove = sub.add_parser("remove-user", help="remove a user")
    remove.add_argument("username")
    sub.add_parser("list-users", help="list users and roles (no hashes)")
    args = parser.parse_args(argv)

    path = Path(args.config).expanduser().resolve() if args.config else default_config_path()
    try:
        output = _run(args, path)
    except (ValueError, AuthConfigError, CommandError, OSError) as exc:
        print(f"python -m dashboards.auth {args.command}: {path}: {exc}".replace("\n", " "), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"python -m dashboards.auth {args.command}: interrupted", file=sys.stderr)
        return 130
    if output:
        print(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
