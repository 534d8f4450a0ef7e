"""GET /openapi.json: an OpenAPI 3.1 document (valid against the vendored meta-schema, with
Debian's python3-jsonschema) whose (method, path) pairs are exactly the server's route table —
every route documented, every documented path routed — and identical to docs/openapi.json."""
import json
import os
import re

import jsonschema
import requests

from conftest import ROOT, Server

HERE = os.path.dirname(os.path.abspath(__file__))
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def _document(server):
    r = requests.get(server.url + "/openapi.json", timeout=10)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    return r.json()


def test_document_is_valid_openapi_3_1_and_matches_docs(tmp_path):
    server = Server(tmp_path / "d").start()
    doc = _document(server)
    with open(os.path.join(HERE, "openapi", "oas-3.1-schema-2022-10-07.json")) as f:
        meta = json.load(f)
    jsonschema.Draft202012Validator(meta).validate(doc)
    assert doc["openapi"].startswith("3.1.")
    with open(os.path.join(ROOT, "docs", "openapi.json")) as f:
        assert json.load(f) == doc, "the served document is docs/openapi.json as built"
    # Every $ref points at something in the document (the meta-schema does not check that).
    text = json.dumps(doc)
    for ref in set(re.findall(r'"\$ref": "#/([^"]+)"', text)):
        node = doc
        for part in ref.split("/"):
            assert part in node, "dangling $ref #/" + ref
            node = node[part]
    # operationIds are unique, and every path parameter of a template is declared.
    ids = [op["operationId"] for item in doc["paths"].values() for m, op in item.items() if m in METHODS]
    assert len(ids) == len(set(ids))
    for path, item in doc["paths"].items():
        for m, op in item.items():
            if m not in METHODS:
                continue
            params = op.get("parameters", []) + item.get("parameters", [])
            declared = {_resolve(doc, p)["name"] for p in params if _resolve(doc, p)["in"] == "path"}
            assert declared == set(re.findall(r"\{(\w+)\}", path)), (m, path)


def _resolve(doc, p):
    if "$ref" not in p:
        return p
    node = doc
    for part in p["$ref"][2:].split("/"):
        node = node[part]
    return node


def test_every_route_is_documented_and_every_documented_path_is_routed(tmp_path):
    server = Server(tmp_path / "d").start()
    doc = _document(server)
    documented = {(m.upper(), path) for path, item in doc["paths"].items() for m in item if m in METHODS}
    r = requests.get(server.url + "/_test/routes", timeout=10)
    assert r.status_code == 200, r.text
    routed = {(x["method"], x["path"]) for x in r.json()}
    assert len(routed) > 80  # every surface is served by this configuration
    assert routed - documented == set(), "routed but not in /openapi.json"
    assert documented - routed == set(), "in /openapi.json but not routed"
