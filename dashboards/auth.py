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

When the file is absent the dashboards run as a demo without sign-in (and say so). When it is
present but unreadable, nobody gets in: the app shows the problem instead of opening up.

Passwords are stored only as salted scrypt hashes (``hashlib.scrypt``); PBKDF2-SHA256 hashes
(``pbkdf2_sha256$<iterations>$<salt>$<hash>``) are accepted too. Manage users with::

    python -m dashboards.auth add-user qingfeng --name 清丰县 --role unit --region 410922
    python -m dashboards.auth set-password qingfeng
    python -m dashboards.auth remove-user qingfeng
    python -m dashboards.auth list-users

This module does not import Streamlit; the sign-in form is ``dashboards.components.signin``.
"""

from __future__ import annotations

import argparse
import base64
import getpass
import hashlib
import hmac
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROLE_CITY = "city"
ROLE_UNIT = "unit"
ROLE_DATA = "data"  # data staff: everything a city user sees, plus the 数据上传 page
ROLES = (ROLE_CITY, ROLE_UNIT, ROLE_DATA)
ROLE_LABELS = {ROLE_CITY: "市级（全部数据）", ROLE_UNIT: "县区（本单位企业明细）", ROLE_DATA: "数据管理（上传导出文件）"}

SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_DKLEN = 2**14, 8, 1, 32
MIN_PASSWORD_LENGTH = 8


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
        return self.role in (ROLE_CITY, ROLE_DATA)


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
        raise AuthConfigError(f"登录配置中用户 {username} 的角色 {role!r} 无效（应为 city、unit 或 data）")
    region = entry.get("region_code")
    region = None if region is None else str(region)
    if role == ROLE_UNIT and not region:
        raise AuthConfigError(f"登录配置中县区用户 {username} 缺少 region_code")
    password_hash = str(entry.get("password_hash", ""))
    if not is_password_hash(password_hash):
        raise AuthConfigError(f"登录配置中用户 {username} 缺少有效的密码哈希")
    return UserRecord(str(username), str(entry.get("name") or username), role, region, password_hash)


def load_users(path: Path | None = None, *, allow_empty: bool = False) -> dict[str, UserRecord] | None:
    """The users of the config file, or None when there is no file (demo mode).

    A file without users is an error (nobody could sign in), unless ``allow_empty`` (editing it).
    """
    path = Path(path) if path is not None else default_config_path()
    if not path.exists():
        return None
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise AuthConfigError(f"登录配置文件无法读取：{exc.__class__.__name__}") from exc
    users = document.get("users") if isinstance(document, dict) else None
    if allow_empty and not users:
        return {}
    if not isinstance(users, dict) or not users:
        raise AuthConfigError("登录配置文件中没有用户（users）")
    return {str(name): _user_from_entry(str(name), entry) for name, entry in users.items()}


def authenticate(users: dict[str, UserRecord], username: str, password: str) -> Viewer | None:
    """The viewer for a correct username and password, else None (the same time either way)."""
    record = users.get(username.strip())
    if record is None:
        verify_password(password, hash_password("timing-equaliser", salt=b"\0" * 16))
        return None
    return record.viewer() if verify_password(password, record.password_hash) else None


def save_users(path: Path, users: dict[str, UserRecord]) -> None:
    """Write the file (owner read/write only), replacing it atomically."""
    document = {
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
        }
    }
    header = "# ipwh dashboard sign-in. Passwords are salted scrypt hashes; manage with python -m dashboards.auth\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(path.name + ".new")
    fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(header)
        yaml.safe_dump(document, handle, allow_unicode=True, sort_keys=False)
    os.replace(staging, path)


def add_user(
    path: Path, username: str, password: str, *, name: str = "", role: str = ROLE_CITY, region_code: str | None = None
) -> UserRecord:
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    if role == ROLE_UNIT and not region_code:
        raise ValueError("a unit user needs --region (the unit's region code)")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    users = load_users(path, allow_empty=True) or {}
    record = UserRecord(username, name or username, role, region_code if role == ROLE_UNIT else None, hash_password(password))
    users[username] = record
    save_users(path, users)
    return record


# --- command line --------------------------------------------------------------------------------


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Repeat password: "):
        raise SystemExit("passwords differ")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboards.auth", description="Manage dashboard sign-in users.")
    parser.add_argument("--config", help="user file (default: IPWH_AUTH_CONFIG or <repo>/auth.yaml)")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add-user", help="add or replace a user")
    add.add_argument("username")
    add.add_argument("--name", default="", help="display name (Chinese)")
    add.add_argument("--role", choices=ROLES, default=ROLE_CITY)
    add.add_argument("--region", help="region code of the unit (role unit)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    setpw = sub.add_parser("set-password", help="change a user's password")
    setpw.add_argument("username")
    setpw.add_argument("--password-stdin", action="store_true")
    remove = sub.add_parser("remove-user", help="remove a user")
    remove.add_argument("username")
    sub.add_parser("list-users", help="list users and roles (no hashes)")
    args = parser.parse_args(argv)

    path = Path(args.config).expanduser().resolve() if args.config else default_config_path()
    try:
        if args.command == "add-user":
            record = add_user(path, args.username, _read_password(args.password_stdin),
                              name=args.name, role=args.role, region_code=args.region)
            print(f"{path}: user {record.username} ({record.role}{' ' + record.region_code if record.region_code else ''})")
        elif args.command == "set-password":
            users = load_users(path) or {}
            if args.username not in users:
                raise SystemExit(f"{path}: no user {args.username}")
            old = users[args.username]
            add_user(path, old.username, _read_password(args.password_stdin),
                     name=old.name, role=old.role, region_code=old.region_code)
            print(f"{path}: password of {args.username} changed")
        elif args.command == "remove-user":
            users = load_users(path, allow_empty=True) or {}
            if users.pop(args.username, None) is None:
                raise SystemExit(f"{path}: no user {args.username}")
            save_users(path, users)
            print(f"{path}: user {args.username} removed")
        else:
            users = load_users(path)
            if users is None:
                print(f"{path}: no user file (the dashboards run as a demo without sign-in)")
            for record in (users or {}).values():
                print(f"{record.username}\t{record.role}\t{record.region_code or ''}\t{record.name}")
    except (ValueError, AuthConfigError) as exc:
        raise SystemExit(f"{path}: {exc}") from exc
    return 0


if __name__ == "__main__":
    sys.exit(main())
