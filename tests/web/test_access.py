"""The access rule on its own: tokens, loopback names, origins, and the command's checks."""

from __future__ import annotations

import hmac
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizapp.cli.app import cli
from quizapp.web.access import AccessPolicy, is_loopback, new_token

LOCAL = {"Host": "127.0.0.1:8000"}


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost", "LOCALHOST", "a.localhost"]
)
def test_loopback_names(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.org", "", "localhostx"])
def test_other_names_are_not_loopback(host: str) -> None:
    assert not is_loopback(host)


def test_new_tokens_are_long_and_different() -> None:
    tokens = {new_token() for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(token) >= 32 and token.isascii() for token in tokens)


def test_a_token_is_needed_and_must_match() -> None:
    policy = AccessPolicy("s3cret", 8000)
    assert policy.refusal({}, {}, LOCAL) is not None
    assert policy.refusal({"token": "s3cre"}, {}, LOCAL) is not None
    assert policy.refusal({"token": "s3cret!"}, {}, LOCAL) is not None
    assert policy.refusal({"token": "s3cret"}, {}, LOCAL) is None
    assert policy.refusal({}, {"quizapp_token_8000": "s3cret"}, LOCAL) is None
    assert policy.refusal({}, {"quizapp_token_9000": "s3cret"}, LOCAL) is not None
    # A wrong token in the URL is refused even beside the right cookie.
    assert policy.refusal({"token": "x"}, {"quizapp_token_8000": "s3cret"}, LOCAL) is not None


def test_the_token_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert AccessPolicy("s3cret").refusal({"token": "guess"}, {}, LOCAL) is not None
    assert compared == [(b"guess", b"s3cret")]


def test_non_ascii_tokens_are_compared_without_error() -> None:
    assert AccessPolicy("s3cret").refusal({"token": "sécret"}, {}, LOCAL) is not None


def test_without_a_token_only_loopback_hosts_and_origins_pass() -> None:
    policy = AccessPolicy(None)
    assert policy.refusal({}, {}, LOCAL) is None
    assert (
        policy.refusal({}, {}, {"Host": "localhost:8000", "Origin": "http://localhost:8000"})
        is None
    )
    assert policy.refusal({}, {}, {"Host": "[::1]:8000"}) is None
    assert policy.refusal({}, {}, {"Host": "evil.example:8000"}) is not None
    assert policy.refusal({}, {}, {**LOCAL, "Origin": "https://evil.example"}) is not None
    assert policy.refusal({}, {}, {}) is not None


def test_an_empty_token_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        AccessPolicy("  ")


def serve_cli(tmp_path: Path, *arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "q.db"), "--no-bundled", "serve", *arguments]
    )
    return result.exit_code, result.output


def test_serve_refuses_an_empty_token(tmp_path: Path) -> None:
    code, output = serve_cli(tmp_path, "--host", "0.0.0.0", "--token", " ")
    assert code == 2 and "'--token'" in output and "empty" in output


@pytest.mark.parametrize(
    "token", ["short", "has spaces in it, long enough", "semi;colon-0123456789"]
)
def test_serve_refuses_a_weak_or_unsafe_token(tmp_path: Path, token: str) -> None:
    code, output = serve_cli(tmp_path, "--host", "0.0.0.0", "--token", token)
    assert code == 2 and "'--token'" in output and "at least 16 characters" in output


def test_serve_refuses_a_missing_card_folder(tmp_path: Path) -> None:
    code, output = serve_cli(tmp_path, "--cards", str(tmp_path / "nowhere"))
    assert code == 2 and "nowhere" in output and "does not exist" in output


def test_serve_refuses_a_database_only_one_process_can_see(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", ":memory:", "--no-bundled", "serve"])
    assert result.exit_code == 2
    assert "serve needs a database file" in result.output


def test_serve_refuses_a_session_limit_below_one(tmp_path: Path) -> None:
    code, output = serve_cli(tmp_path, "--max-sessions", "0")
    assert code == 2 and "--max-sessions" in output


def test_serve_without_the_web_extra_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.delitem(sys.modules, "quizapp.web.server", raising=False)
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    code, output = serve_cli(tmp_path)
    assert code == 1
    assert "quizapp: error: serve needs the web extra (textual_serve is not installed)" in output
    assert "quizapp[web]" in output
