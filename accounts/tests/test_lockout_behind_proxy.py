"""S2 behind a reverse proxy: lockout stays keyed on the account and the client's own address.

Every request through a proxy arrives from the proxy's address. With `HARBOUR_PROXY_COUNT` set to the number of
proxies in front of Harbour, the client's address is read from X-Forwarded-For, counting that many entries from
the right (each proxy appends the address it was reached from). With no proxy configured, X-Forwarded-For is
ignored, so nobody can dodge a lockout by writing their own.
"""

import pytest

from lib.client_ip import client_ip
from tests.people import PASSWORD

pytestmark = pytest.mark.django_db
SIGN_IN = "/account/sign-in/"
PROXY = "10.0.0.5"


def through_proxy(client, email, password, client_address, forwarded_by_client=""):
    chain = f"{forwarded_by_client}, {client_address}" if forwarded_by_client else client_address
    return client.post(SIGN_IN, {"username": email, "password": password}, REMOTE_ADDR=PROXY,
                       HTTP_X_FORWARDED_FOR=chain)


def lock(client, settings, email, client_address):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        through_proxy(client, email, "wrong guess 123456", client_address)


def test_r_s2_behind_one_proxy_locking_one_client_does_not_lock_another_client_of_the_same_account(
        client, world, settings):
    settings.HARBOUR_PROXY_COUNT = 1
    lock(client, settings, "diana@oakfield.example", "198.51.100.20")
    assert through_proxy(client, "diana@oakfield.example", PASSWORD, "198.51.100.20").status_code == 429
    # Diana herself, from school, through the same proxy: not locked out by someone else's guesses.
    assert through_proxy(client, "diana@oakfield.example", PASSWORD, "203.0.113.7").status_code == 302


def test_r_s2_behind_one_proxy_a_locked_client_can_still_sign_in_as_someone_else(client, world, settings):
    settings.HARBOUR_PROXY_COUNT = 1
    lock(client, settings, "diana@oakfield.example", "203.0.113.7")
    assert through_proxy(client, "dev@oakfield.example", PASSWORD, "203.0.113.7").status_code == 302


def test_r_s2_behind_one_proxy_an_address_the_client_writes_itself_is_not_believed(client, world, settings):
    """The client writes its own X-Forwarded-For; the proxy appends the real address. Only the proxy's is used."""
    settings.HARBOUR_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        through_proxy(client, "diana@oakfield.example", "wrong guess 123456", "198.51.100.20",
                      forwarded_by_client=f"192.0.2.{n}")
    assert through_proxy(client, "diana@oakfield.example", PASSWORD, "198.51.100.20",
                         forwarded_by_client="192.0.2.200").status_code == 429


def test_r_s2_with_no_proxy_a_spoofed_forwarded_for_is_ignored(client, world, settings):
    settings.HARBOUR_PROXY_COUNT = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(SIGN_IN, {"username": "diana@oakfield.example", "password": "wrong guess 123456"},
                    REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = client.post(SIGN_IN, {"username": "diana@oakfield.example", "password": PASSWORD},
                           REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


@pytest.mark.parametrize("count, remote, forwarded, expected", [
    (0, "198.51.100.1", "192.0.2.9", "198.51.100.1"),
    (1, PROXY, "192.0.2.9", "192.0.2.9"),
    (1, PROXY, "192.0.2.66, 192.0.2.9", "192.0.2.9"),
    (2, PROXY, "192.0.2.66, 192.0.2.9, 10.0.0.4", "192.0.2.9"),
    (1, PROXY, "", PROXY),  # came straight to Harbour, past the proxy: its own address
    (2, PROXY, "192.0.2.9", PROXY),  # fewer entries than proxies: not believed
    (1, PROXY, "not an address", PROXY),
    (1, PROXY, "[2001:db8::7]:4431", "2001:db8::7"),
    (1, PROXY, "192.0.2.9:51234", "192.0.2.9"),
])
def test_the_client_address_counts_proxies_from_the_right(rf, settings, count, remote, forwarded, expected):
    settings.HARBOUR_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR=remote, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}))
    assert client_ip(request) == expected
