"""The polite client against a real local server: identity, rate limit, retries, cache, offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.openlibrary_stub import Reply, StubServer

from biblio.errors import NetworkError
from biblio.net import ClientSettings, PoliteClient, ResponseCache


class Sleeps:
    """Records the waits the client asks for instead of waiting (the requests themselves are real)."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.now = 100.0

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        """A clock that moves only when the client sleeps: requests take no time."""
        return self.now


@pytest.fixture
def stub() -> StubServer:
    server = StubServer().start()
    server.pages["/thing.json"] = Reply(body=json.dumps({"answer": 42}).encode())
    yield server  # type: ignore[misc]
    server.stop()


def client(tmp_path: Path, sleeps: Sleeps | None = None, **settings: object) -> PoliteClient:
    sleeps = sleeps or Sleeps()
    return PoliteClient(
        ClientSettings(**settings),  # type: ignore[arg-type]
        ResponseCache(tmp_path / "cache.sqlite"),
        sleep=sleeps,
        clock=sleeps.clock,
    )


def test_user_agent_names_biblio_and_the_contact(stub: StubServer, tmp_path: Path) -> None:
    client(tmp_path, contact="librarian@example.org").get_json(f"{stub.url}/thing.json")
    assert stub.user_agents[0].startswith("biblio/")
    assert "(+librarian@example.org)" in stub.user_agents[0]


def test_contact_from_the_environment(stub: StubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIBLIO_CONTACT", "desk@example.net")
    client(tmp_path).get_json(f"{stub.url}/thing.json")
    assert "(+desk@example.net)" in stub.user_agents[0]


def test_requests_are_spaced_by_the_rate_limit(stub: StubServer, tmp_path: Path) -> None:
    sleeps = Sleeps()
    polite = client(tmp_path, sleeps, min_interval=1.0)
    for n in range(3):
        polite.get_json(f"{stub.url}/thing.json", {"n": n})
    assert sleeps.waits == [1.0, 1.0]
    assert len(stub.requests) == 3


def test_429_is_retried_after_the_servers_retry_after(stub: StubServer, tmp_path: Path) -> None:
    stub.fail_next("/thing.json", Reply(429, b"slow down", "text/plain", {"Retry-After": "7"}))
    sleeps = Sleeps()
    assert client(tmp_path, sleeps, min_interval=0.0).get_json(f"{stub.url}/thing.json") == {"answer": 42}
    assert sleeps.waits == [7.0]
    assert stub.requests == ["/thing.json", "/thing.json"]


def test_5xx_is_retried_with_exponential_backoff(stub: StubServer, tmp_path: Path) -> None:
    stub.fail_next("/thing.json", Reply(503), Reply(502))
    sleeps = Sleeps()
    assert client(tmp_path, sleeps, min_interval=0.0, backoff=0.5).get_json(f"{stub.url}/thing.json") == {"answer": 42}
    assert sleeps.waits == [0.5, 1.0]


def test_retries_give_up(stub: StubServer, tmp_path: Path) -> None:
    stub.fail_next("/thing.json", *[Reply(500)] * 5)
    with pytest.raises(NetworkError, match="HTTP 500"):
        client(tmp_path, min_interval=0.0, retries=2).get_json(f"{stub.url}/thing.json")
    assert len(stub.requests) == 3


def test_a_retry_after_beyond_the_limit_fails_instead_of_waiting(stub: StubServer, tmp_path: Path) -> None:
    stub.fail_next("/thing.json", Reply(429, headers={"Retry-After": "3600"}))
    sleeps = Sleeps()
    with pytest.raises(NetworkError, match="asked to wait 3600 s"):
        client(tmp_path, sleeps, min_interval=0.0).get_json(f"{stub.url}/thing.json")
    assert sleeps.waits == []


def test_a_second_ask_is_served_from_the_cache(stub: StubServer, tmp_path: Path) -> None:
    first = client(tmp_path).get_json(f"{stub.url}/thing.json")
    again = client(tmp_path)  # a new run, the same cache file
    assert again.get_json(f"{stub.url}/thing.json") == first
    assert len(stub.requests) == 1
    assert again.sent == 0


def test_a_404_is_none_and_remembered(stub: StubServer, tmp_path: Path) -> None:
    polite = client(tmp_path)
    assert polite.get_json(f"{stub.url}/nothing.json") is None
    assert polite.get_json(f"{stub.url}/nothing.json") is None
    assert stub.requests == ["/nothing.json"]


def test_malformed_json_fails_and_is_not_cached(stub: StubServer, tmp_path: Path) -> None:
    stub.fail_next("/thing.json", Reply(body=b'{"answer": 4'))
    with pytest.raises(NetworkError, match="malformed JSON"):
        client(tmp_path).get_json(f"{stub.url}/thing.json")
    assert client(tmp_path).get_json(f"{stub.url}/thing.json") == {"answer": 42}
    assert len(stub.requests) == 2


def test_offline_with_an_empty_cache_sends_nothing(stub: StubServer, tmp_path: Path) -> None:
    with pytest.raises(NetworkError, match="not in the response cache"):
        client(tmp_path, offline=True).get_json(f"{stub.url}/thing.json")
    assert stub.requests == []
    assert not (tmp_path / "cache.sqlite").exists()


def test_offline_answers_from_the_cache(stub: StubServer, tmp_path: Path) -> None:
    client(tmp_path).get_json(f"{stub.url}/thing.json")
    assert client(tmp_path, offline=True).get_json(f"{stub.url}/thing.json") == {"answer": 42}
    assert len(stub.requests) == 1


def test_the_cache_lives_in_biblio_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIBLIO_CACHE_DIR", str(tmp_path / "c"))
    assert ResponseCache().path == tmp_path / "c" / "http-cache.sqlite"


def test_a_retry_after_date_in_the_past_means_now(stub: StubServer, tmp_path: Path) -> None:
    stub.fail_next("/thing.json", Reply(503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}))
    sleeps = Sleeps()
    assert client(tmp_path, sleeps, min_interval=0.0).get_json(f"{stub.url}/thing.json") == {"answer": 42}
    assert sleeps.waits == [0.0]


def test_a_redirect_loop_is_a_failed_request(stub: StubServer, tmp_path: Path) -> None:
    stub.pages["/a.json"] = Reply(302, headers={"Location": "/b.json"})
    stub.pages["/b.json"] = Reply(302, headers={"Location": "/a.json"})
    with pytest.raises(NetworkError, match="redirect loop"):
        client(tmp_path).get_json(f"{stub.url}/a.json")
