"""dashboards.auth: hashed passwords, the user file, the command that manages it."""

from __future__ import annotations

import base64
import hashlib
import io
import stat
import sys
from pathlib import Path

import pytest

from dashboards import auth


def test_a_hashed_password_verifies_and_a_wrong_one_fails() -> None:
    stored = auth.hash_password("correct horse")
    assert stored.startswith("scrypt$16384$8$1$")
    assert "correct horse" not in stored
    assert auth.verify_password("correct horse", stored)
    assert not auth.verify_password("correct horse ", stored)
    assert not auth.verify_password("", stored)


def test_each_hash_has_its_own_salt() -> None:
    assert auth.hash_password("same password") != auth.hash_password("same password")


def test_pbkdf2_hashes_are_accepted() -> None:
    salt = b"0123456789abcdef"
    digest = hashlib.pbkdf2_hmac("sha256", "pw-12345".encode(), salt, 200_000)
    stored = f"pbkdf2_sha256$200000${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    assert auth.verify_password("pw-12345", stored)
    assert not auth.verify_password("pw-12346", stored)


@pytest.mark.parametrize("stored", ["", "plain-text", "scrypt$x$y", "md5$abc$def$ghi", "scrypt$16384$8$1$!!!$???"])
def test_malformed_hashes_never_verify(stored: str) -> None:
    assert not auth.verify_password("anything", stored)


def test_no_file_means_demo_mode(tmp_path: Path) -> None:
    assert auth.load_users(tmp_path / "auth.yaml") is None


def test_users_round_trip_with_roles(tmp_path: Path) -> None:
    path = tmp_path / "auth.yaml"
    auth.add_user(path, "lead", "city-passw0rd", name="市局", role="city")
    auth.add_user(path, "qf", "qf-password-1", name="清丰县", role="unit", region_code="410922")
    users = auth.load_users(path)
    assert users["qf"].viewer() == auth.Viewer("qf", "清丰县", "unit", "410922")
    assert users["lead"].viewer().sees_all_units
    assert auth.authenticate(users, "qf", "qf-password-1") == users["qf"].viewer()
    assert auth.authenticate(users, "qf", "city-passw0rd") is None
    assert auth.authenticate(users, "nobody", "qf-password-1") is None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert "qf-password-1" not in text and "city-passw0rd" not in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("users: {}\n", "没有用户"),
        ("users:\n  a:\n    role: admin\n    password_hash: scrypt$1$1$1$a$b\n", "角色"),
        ("users:\n  a:\n    role: unit\n    password_hash: scrypt$1$1$1$a$b\n", "region_code"),
        ("users:\n  a:\n    role: city\n    password: secret\n", "明文密码"),
        ("users:\n  a:\n    role: city\n", "密码哈希"),
        ("users: [\n", "无法读取"),
    ],
)
def test_a_bad_file_is_an_error_not_an_open_door(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "auth.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(auth.AuthConfigError, match=message):
        auth.load_users(path)


def test_short_passwords_and_unit_users_without_a_unit_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        auth.add_user(tmp_path / "a.yaml", "x", "short", role="city")
    with pytest.raises(ValueError):
        auth.add_user(tmp_path / "a.yaml", "x", "long-enough-1", role="unit")


def test_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "auth.yaml"
    monkeypatch.setattr(sys, "stdin", io.StringIO("qf-password-1\n"))
    assert auth.main(["--config", str(path), "add-user", "qf", "--name", "清丰县", "--role", "unit",
                      "--region", "410922", "--password-stdin"]) == 0
    assert auth.authenticate(auth.load_users(path), "qf", "qf-password-1") is not None
    monkeypatch.setattr(sys, "stdin", io.StringIO("new-password-2\n"))
    auth.main(["--config", str(path), "set-password", "qf", "--password-stdin"])
    users = auth.load_users(path)
    assert auth.authenticate(users, "qf", "new-password-2") is not None
    assert users["qf"].region_code == "410922"
    capsys.readouterr()
    auth.main(["--config", str(path), "list-users"])
    assert capsys.readouterr().out.strip() == "qf\tunit\t410922\t清丰县"
    auth.main(["--config", str(path), "remove-user", "qf"])
    assert auth.load_users(path, allow_empty=True) == {}
