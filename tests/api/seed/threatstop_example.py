#!/usr/bin/env python3
# The Python 3 example of the ThreatSTOP user-lists guide (shared/seeds/003), statement for
# statement. The seed text lost its indentation; it is restored here (the search loops are
# for/else). Changes, each marked: base URL and token come from the environment, and the sample
# expiry dates moved from 2018 to 2030. Run by tests/api/test_seed_examples.py.
import os  # added: for the two values above
import sys
import requests
api_url = os.environ['RAMPART_URL'] + '/'  # changed: base URL
api_version = 'v4.0'
# put your API token here
api_key = os.environ['RAMPART_TOKEN']  # changed: token
ip_list_name = 'apitestip'
domain_list_name = 'apitestdom'
# Create a new user IP list with 2 records
response = requests.post(
    url='{api_url}/{version}/{endpoint}'.format(
        api_url=api_url,
        version=api_version,
        endpoint='user_ip_lists'
    ),
    headers={'Authorization': 'Bearer {}'.format(api_key)},
    json={
        "list_name": ip_list_name,
        "list_type": "block",
        "shared": False,
        "addresses": [
            {
                "value": "1.2.3.4",
                "comments": "created via API"
            },
            {
                "value": "4.3.2.1/32",
                "comments": "will expire soon",
                "expires": "03/29/2030"  # changed: 2018 is in the past
            }
        ]
    }
)
# Response handling
if response.status_code == 201:
    data = response.json()['_data'][0]
    print("User IP list {} created; Object ID {}".format(
            data['list_name'], data['object_id']
        ))
else:
    print("Unable to create user list: {}".format(
            response.json()
        ))
    sys.exit(101)
# Create user domain list with 2 records
response = requests.post(
    url='{api_url}/{version}/{endpoint}'.format(
        api_url=api_url,
        version=api_version,
        endpoint='user_domain_lists'
    ),
    headers={'Authorization': 'Bearer {}'.format(api_key)},
    json={
        "list_name": domain_list_name,
        "shared": False,
        "addresses": [
            {
                "value": "example.com",
                "comments": "created via API"
            },
            {
                "value": "sub.example.com",
                "comments": "will expire soon",
                "expires": "03/29/2030"  # changed: 2018 is in the past
            }
        ]
    }
)
# Response handling
if response.status_code == 201:
    data = response.json()['_data'][0]
    print("User domain list {} created; Object ID {}".format(
            data['list_name'], data['object_id']
        ))
else:
    print("Unable to create user list: {}".format(
            response.json()
        ))
    sys.exit(101)
# Find Object ID of a newly-created IP list.
# It can also be found in the POST response
response = requests.get(
    url='{api_url}/{version}/{endpoint}'.format(
        api_url=api_url,
        version=api_version,
        endpoint='user_ip_lists'
    ),
    headers={'Authorization': 'Bearer {}'.format(api_key)}
)
if response.status_code == 200:
    for record in response.json()['_data']:
        if record['list_name'] == ip_list_name:
            ip_list_object_id = record['object_id']
            print('Found user ip list {} with name {}'.format(
                    record['object_id'], record['list_name']
                ))
            break
    else:
        print('User list {} not found.'.format(ip_list_name))
        sys.exit(102)
else:
    print('Unable to get list of the user lists: {}'.format(
            response.json()
        ))
    sys.exit(102)
# Find Object ID of a newly-created domain list.
# It can also be found in POST response
response = requests.get(
    url='{api_url}/{version}/{endpoint}'.format(
        api_url=api_url,
        version=api_version,
        endpoint='user_domain_lists'
    ),
    headers={'Authorization': 'Bearer {}'.format(api_key)}
)
if response.status_code == 200:
    for record in response.json()['_data']:
        if record['list_name'] == domain_list_name:
            domain_list_object_id = record['object_id']
            print('Found user domain list {} with name {}'.format(
                    record['object_id'], record['list_name']
                ))
            break
    else:
        print('User list {} not found.'.format(domain_list_name))
        sys.exit(102)
else:
    print('Unable to get list of the user lists: {}'.format(response.json()))
    sys.exit(102)
# Delete one IP record
response = requests.patch(
    url='{api_url}/{version}/{endpoint}/{object_id}'.format(
        api_url=api_url,
        version=api_version,
        endpoint='user_ip_lists',
        object_id=ip_list_object_id
    ),
    headers={'Authorization': 'Bearer {}'.format(api_key)},
    json={
        "addresses": [
            {"value": "1.2.3.4", "action": "remove"},
        ]
    }
)
if response.status_code == 200:
    print('User IP list updated: {}'.format(
            response.json()['_meta']['addresses']
        ))
else:
    print('Unable to patch user IP list: '.format(response.json()))
    sys.exit(103)
# Add one IP record
response = requests.patch(
    url='{api_url}/{version}/{endpoint}/{object_id}'.format(
        api_url=api_url,
        version=api_version,
        endpoint='user_ip_lists',
        object_id=ip_list_object_id
    ),
    headers={'Authorization': 'Bearer {}'.format(api_key)},
    json={
        "addresses": [
            {"value": "1.2.3.4", "action": "add"},
        ]
    }
)
if response.status_code == 200:
    print('User IP list updated: {}'.format(
            response.json()['_meta']['addresses']
        ))
else:
    print('Unable to patch user IP list: '.format(response.json()))
    sys.exit(103)
# Add IP record
response = requests.patch(
    url='{api_url}/{version}/{endpoint}/{object_id}'.format(
        api_url=api_url,
        version=api_version,
        endpoint='user_ip_lists',
        object_id=ip_list_object_id
    ),
    headers={'Authorization': 'Bearer {}'.format(api_key)},
    json={
        "addresses": [
            {"value": "1.2.3.4", "comments": "new comment"},
        ]
    }
)
if response.status_code == 200:
    print('User IP list updated: {}'.format(
            response.json()['_meta']['addresses']
        ))
else:
    print('Unable to patch user IP list: '.format(response.json()))
    sys.exit(103)
# Delete domain record
response = requests.patch(
    url='{api_url}/{version}/{endpoint}/{object_id}'.format(
        api_url=api_url,
        version=api_version,
        endpoint='user_domain_lists',
        object_id=domain_list_object_id
    ),
    headers={'Authorization': 'Bearer {}'.format(api_key)},
    json={
        "addresses": [
            {"value": "example.com", "action": "remove"},
        ]
    }
)
if response.status_code == 200:
    print('User IP list updated: {}'.format(
            response.json()['_meta']['addresses']
        ))
else:
    print('Unable to patch user IP list: '.format(response.json()))
    sys.exit(103)
# Add domain record
response = requests.patch(
    url='{api_url}/{version}/{endpoint}/{object_id}'.format(
        api_url=api_url,
        version=api_version,
        endpoint='user_domain_lists',
        object_id=domain_list_object_id
    ),
    headers={'Authorization': 'Bearer {}'.format(api_key)},
    json={
        "addresses": [
            {"value": "example.com", "action": "add"},
        ]
    }
)
if response.status_code == 200:
    print('User IP list updated: {}'.format(
            response.json()['_meta']['addresses']
        ))
else:
    print('Unable to patch user IP list: '.format(response.json()))
    sys.exit(103)
# Update domain record
response = requests.patch(
    url='{api_url}/{version}/{endpoint}/{object_id}'.format(
        api_url=api_url,
        version=api_version,
        endpoint='user_domain_lists',
        object_id=domain_list_object_id
    ),
    headers={'Authorization': 'Bearer {}'.format(api_key)},
    json={
        "addresses": [
            {"value": "example.com", "comments": "new comment"},
        ]
    }
)
if response.status_code == 200:
    print('User IP list updated: {}'.format(response.json()['_meta']['addresses']))
else:
    print('Unable to patch user IP list: '.format(response.json()))
    sys.exit(103)
