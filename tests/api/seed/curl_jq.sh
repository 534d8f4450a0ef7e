#!/usr/bin/env bash
# The curl + jq sequences of the ThreatSTOP user-lists guide (seeds/003), as published, with
# three changes only: the base URL, the token, and the sample expiry date (2018 is past).
# Usage: curl_jq.sh BASE_URL TOKEN — exits non-zero on the first unexpected answer.
set -euo pipefail
API="$1"; TOKEN="$2"; EXP="03/29/2030"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; cd "$work"

cat > create_ip_udl.json << EOF2
{ "addresses": [ { "comments": "created via API", "value": "1.2.3.4" }, { "comments": "will expire soon", "expires": "$EXP", "value": "4.3.2.1/32" } ], "list_name": "api1test", "list_type": "block", "shared": false }
EOF2
curl --silent --header "Authorization: Bearer $TOKEN" "$API/v4.0/user_ip_lists" -X POST --header "Content-Type: application/json" --data @create_ip_udl.json > response.json
IP_ID=$(cat response.json | jq -r "._data[0].object_id")
[[ "$IP_ID" =~ ^[0-9a-f-]{36}$ ]] || { echo "create ip list: $(cat response.json)"; exit 1; }
[[ $(jq -r '._data[0].addresses[1].expires' response.json) == "2030-03-29" ]]

curl --silent --header "Authorization: Bearer $TOKEN" "$API/v4.0/user_ip_lists" -X GET > lists.json
[[ $(jq -r '._meta.count' lists.json) == 1 ]]
[[ $(jq -r '._data[0]._meta.addresses.record_count' lists.json) == 2 ]]
[[ $(jq -r '._data[0]._meta.addresses.address_count' lists.json) == 2 ]]

curl --silent --header "Authorization: Bearer $TOKEN" "$API/v4.0/user_ip_lists/$IP_ID" -X GET > list.json
[[ $(jq -r '._data[0].addresses | length' list.json) == 2 ]]

cat > add_ip.json << EOF2
{ "addresses": [ { "value": "1.2.3.5", "action": "add" } ] }
EOF2
curl --silent --header "Authorization: Bearer $TOKEN" "$API/v4.0/user_ip_lists/$IP_ID" -X PATCH --header "Content-Type: application/json" --data @add_ip.json > r.json
[[ $(jq -r '._meta.addresses.record_count' r.json) == 3 ]]

cat > del_ip.json << EOF2
{ "addresses": [ { "value": "1.2.3.4", "action": "remove" } ] }
EOF2
curl --silent --header "Authorization: Bearer $TOKEN" "$API/v4.0/user_ip_lists/$IP_ID" -X PATCH --header "Content-Type: application/json" --data @del_ip.json > r.json
[[ $(jq -r '._meta.addresses.record_count' r.json) == 2 ]]

cat > update_ip.json << EOF2
{ "addresses": [ { "value": "1.2.3.5", "comments": "new comment" } ] }
EOF2
curl --silent --header "Authorization: Bearer $TOKEN" "$API/v4.0/user_ip_lists/$IP_ID" -X PATCH --header "Content-Type: application/json" --data @update_ip.json > r.json
[[ $(jq -r '._data[0].addresses[] | select(.value == "1.2.3.5") | .comments' r.json) == "new comment" ]]

cat > create_domain_udl.json << EOF2
{ "addresses": [ { "comments": "created via API", "value": "example.com" }, { "comments": "will expire soon", "expires": "$EXP", "value": "sub.example.com" } ], "list_name": "api2test", "shared": false }
EOF2
curl --silent --header "Authorization: Bearer $TOKEN" "$API/v4.0/user_domain_lists" -X POST --header "Content-Type: application/json" --data @create_domain_udl.json > response.json
DOM_ID=$(cat response.json | jq -r "._data[0].object_id")
[[ "$DOM_ID" =~ ^[0-9a-f-]{36}$ ]] || { echo "create domain list: $(cat response.json)"; exit 1; }
[[ $(jq -r '._data[0].list_type' response.json) == "block" ]]

curl --silent --header "Authorization: Bearer $TOKEN" "$API/v4.0/user_domain_lists/$DOM_ID" -X GET > d.json
[[ $(jq -r '._data[0].addresses | length' d.json) == 2 ]]
curl --silent --header "Authorization: Bearer $TOKEN" "$API/v4.0/user_domain_lists/$DOM_ID" -X PATCH --header "Content-Type: application/json" --data '{"addresses": [{"value": "example.com", "action": "remove"}]}' > r.json
[[ $(jq -r '._meta.addresses.record_count' r.json) == 1 ]]
curl --silent --header "Authorization: Bearer $TOKEN" "$API/v4.0/user_domain_lists/$DOM_ID" -X PATCH --header "Content-Type: application/json" --data '{"addresses": [{"value": "example.com", "action": "add"}]}' > r.json
[[ $(jq -r '._meta.addresses.record_count' r.json) == 2 ]]
curl --silent --header "Authorization: Bearer $TOKEN" "$API/v4.0/user_domain_lists/$DOM_ID" -X PATCH --header "Content-Type: application/json" --data '{"addresses": [{"value": "example.com", "comments": "new comment"}]}' > r.json
[[ $(jq -r '._data[0].addresses[] | select(.value == "example.com") | .comments' r.json) == "new comment" ]]
echo "curl+jq sequence OK"
