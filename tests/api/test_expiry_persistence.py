"""Expiry with the injected clock, and durability of acknowledged writes across kill -9."""
import requests

from conftest import Client, Server

IP = "/v4.0/user_ip_lists"


def test_entries_expire_after_their_day_and_are_swept(server, client):
    import datetime
    today = datetime.datetime.utcfromtimestamp(server.advance_clock(0)["now_ms"] / 1000).date()
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    obj = client.post(IP, {"list_name": "exp", "addresses": [{"value": "1.2.3.4", "expires": tomorrow},
                                                             {"value": "5.6.7.8"}]}).json()["_data"][0]
    path = IP + "/" + obj["object_id"]
    assert client.get(path).json()["_meta"]["addresses"]["record_count"] == 2
    server.advance_clock(86400)  # tomorrow: still active through the end of the day
    assert client.get(path).json()["_meta"]["addresses"]["record_count"] == 2
    assert client.get("/v4.0/check_ioc?ioc=1.2.3.4").json()["_data"][0]["listed"] is True
    swept = server.advance_clock(86400)  # the day after: gone, and purged by the sweep
    assert swept["purged"] == 1
    body = client.get(path).json()
    assert [a["value"] for a in body["_data"][0]["addresses"]] == ["5.6.7.8"]
    assert client.get("/v4.0/check_ioc?ioc=1.2.3.4").json()["_data"][0]["listed"] is False
    history = client.get(path + "/history").json()["_data"]
    assert history[0]["action"] == "expire" and history[0]["changes"]["removed"] == ["1.2.3.4"]


def test_acknowledged_writes_survive_kill_9(tmp_path):
    s = Server(tmp_path / "data").start()
    c = Client(s.url, s.demo_token)
    ids = []
    for i in range(20):
        r = c.post(IP, {"list_name": "l%d" % i, "addresses": [{"value": "1.2.3.%d" % (i + 1)}]})
        assert r.status_code == 201
        ids.append(r.json()["_data"][0]["object_id"])
    r = c.patch(IP + "/" + ids[0], {"addresses": [{"value": "9.9.9.9", "action": "add"}]})
    assert r.status_code == 200
    s.kill9()
    s.start()  # same data dir; no demo token is printed the second time
    c = Client(s.url, c.token)
    lists = c.get(IP).json()
    assert lists["_meta"]["count"] == 20
    assert {d["object_id"] for d in lists["_data"]} == set(ids)
    assert [a["value"] for a in c.get(IP + "/" + ids[0]).json()["_data"][0]["addresses"]] == ["1.2.3.1", "9.9.9.9"]
    s.stop()


def test_concurrent_acknowledged_updates_survive_kill_9_in_order(tmp_path):
    """Group commit: many writers on a few lists, killed mid-stream. Every acknowledged PATCH is
    there after the restart, and each writer's entries are in the order it sent them."""
    import threading
    import time
    s = Server(tmp_path / "data").start()
    c = Client(s.url, s.demo_token)
    ids = [c.post(IP, {"list_name": "g%d" % i}).json()["_data"][0]["object_id"] for i in range(4)]
    acked = {w: [] for w in range(16)}
    refused = []
    stop = threading.Event()

    def writer(w):
        session = requests.Session()
        n = 0
        while not stop.is_set():
            value = "44.%d.%d.%d" % (w, n // 256, n % 256)
            try:
                r = session.patch(s.url + IP + "/" + ids[w % 4], json={"addresses": [{"value": value, "action": "add"}]},
                                  headers={"Authorization": "Bearer " + c.token}, timeout=10)
            except requests.RequestException:
                return  # the server is gone: this one was never acknowledged
            if r.status_code != 200:
                refused.append((r.status_code, r.text))
                return
            acked[w].append(value)
            n += 1

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(16)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    s.kill9()
    stop.set()
    for t in threads:
        t.join()
    assert refused == []
    assert sum(len(v) for v in acked.values()) > 50  # the kill landed mid-stream, after real work
    s.start()
    c = Client(s.url, c.token)
    stored = {i: [a["value"] for a in c.get(IP + "/" + i).json()["_data"][0]["addresses"]] for i in ids}
    for w, values in acked.items():
        mine = [v for v in stored[ids[w % 4]] if v.startswith("44.%d." % w)]
        assert mine[:len(values)] == values  # all acknowledged ones, in order (one more may have landed unacknowledged)
        assert len(mine) <= len(values) + 1
    s.stop()


def test_graceful_shutdown_exits_zero(tmp_path):
    s = Server(tmp_path / "data").start()
    assert requests.get(s.url + "/healthz").status_code == 200
    assert s.stop() == 0
