#!/usr/bin/env python3
# api_flow.py URL STATE setup|approve|status: what a coordinator does
# through the JSON API of an installed server (tests/integration/packaging).
#   setup    signs in (STATE.password from the file STATE.pw), creates a
#            centre, a screen, an organisation and a bulletin for the
#            centre; writes STATE (JSON: ids, the screen's player_config,
#            the bulletin's title)
#   approve  approves the bulletin's placement at the centre
#   status   prints the screen's status (JSON) as the server knows it
import http.cookiejar
import json
import sys
import time
import urllib.request

url, state_path, cmd = sys.argv[1], sys.argv[2], sys.argv[3]
EMAIL = "koordinaattori@example.fi"
TITLE = "Muistikahvila pakettitestissä"

jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
csrf = None


def call(method, path, body=None, expect=(200, 201)):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if csrf and method != "GET":
        req.add_header("X-CSRF-Token", csrf)
    try:
        with opener.open(req, timeout=30) as r:
            status, text = r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode()
    if status not in expect:
        sys.exit("%s %s answered %d: %s" % (method, path, status, text[:500]))
    return json.loads(text) if text.strip() else None


def login():
    global csrf
    with open(state_path + ".pw") as f:
        pw = f.read().strip()
    csrf = call("POST", "/api/v1/login",
                {"email": EMAIL, "password": pw})["csrf_token"]


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


login()
if cmd == "setup":
    centre = call("POST", "/api/v1/centres",
                  {"name": "Tuiran hyvinvointikeskus", "municipality": "564",
                   "languages": ["fi"]})["id"]
    screen = call("POST", "/api/v1/screens",
                  {"centre_id": centre, "name": "Aula 1",
                   "orientation": "landscape", "width_px": 1280,
                   "height_px": 720, "diagonal_in": 55,
                   "viewing_distance_m": 3})
    org = call("POST", "/api/v1/organisations",
               {"name": "Oulun Muistiyhdistys", "kind": "ngo"})["id"]
    item = call("POST", "/api/v1/items",
                {"organisation_id": org, "kind": "bulletin",
                 "category": "ihmissuhteet",
                 "display_until": iso(time.time() + 7 * 86400),
                 "centres": [centre],
                 "texts": [{"lang": "fi", "plain": True, "title": TITLE,
                            "body": "Tule juttelemaan ja juomaan kahvia."}]})
    with open(state_path, "w") as f:
        json.dump({"centre": centre, "screen": screen["id"],
                   "screen_id": screen["screen_id"],
                   "player_config": screen["player_config"],
                   "item": item["id"], "title": TITLE,
                   "placement": item["placements"][0]["id"]}, f)
elif cmd == "approve":
    with open(state_path) as f:
        st = json.load(f)
    call("POST", "/api/v1/placements/%d/approve" % st["placement"],
         {"item_version": 1})
elif cmd == "status":
    with open(state_path) as f:
        st = json.load(f)
    print(json.dumps(call("GET", "/api/v1/screens/%d/status" % st["screen"])))
