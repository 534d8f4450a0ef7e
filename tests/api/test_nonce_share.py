"""One organization filling the Hawk nonce cache cannot make another organization's requests fail
(issue 11 §2): each holds at most its share, counted once membership is known."""
from conftest import Server
from v2_data import owner


def test_one_organization_cannot_spend_anothers_nonces(tmp_path):
    server = Server(str(tmp_path / "d"), ["--nonce-cache-capacity", "320", "--nonce-cache-per-org", "80"]).start()
    _, greedy = owner(server, org="Greedy", email="g@greedy.example")
    _, calm = owner(server, org="Calm", email="c@calm.example")
    statuses = [greedy.get("/v2/agents").status_code for _ in range(400)]  # more than the whole cache
    assert statuses.count(200) <= 80 and statuses.count(429) >= 320, statuses  # only its share was spent
    for _ in range(10):
        r = calm.get("/v2/agents")
        assert r.status_code == 200, r.text  # the other organization is untouched
    server.stop()
