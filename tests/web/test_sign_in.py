"""Signing in to the web application: OIDC code flow + PKCE against the local issuer, the
server-side session and its cookie, CSRF on forms, sign-out, expiry and the way back."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.web.visitor import Visitor


@pytest.fixture
async def visitor(web: str):
    v = Visitor(web)
    yield v
    await v.close()


async def test_a_page_behind_sign_in_leads_to_the_issuer_and_then_back_to_that_page(visitor):
    issuer_page = await visitor.get("/notifikasi?unread=1")
    assert urlsplit(str(issuer_page.url)).path == "/oidc/authorize"
    query = parse_qs(urlsplit(str(issuer_page.url)).query)
    assert query["code_challenge_method"] == ["S256"] and query["response_type"] == ["code"]
    assert "Ratna Dewi Sawaki" in issuer_page.text  # the seeded people, no password field
    assert 'type="password"' not in issuer_page.text

    landed = await visitor.choose(issuer_page, "kota-sorong:hr_officer")

    assert landed.status_code == 200
    assert str(landed.url).endswith("/notifikasi?unread=1")
    assert "Ratna Dewi Sawaki" in landed.text and "<h1>Notifikasi</h1>" in landed.text


async def test_the_session_cookie_is_http_only_and_same_site_lax(web: str):
    async with httpx.AsyncClient(base_url=web, timeout=60) as client:
        visitor = Visitor(web)
        visitor.client = client  # no redirects followed: each answer is seen
        issuer_page = await client.get("/masuk", follow_redirects=True)
        choice = await visitor.choose(issuer_page, "kota-sorong:supervisor")
        assert choice.status_code == 303
        callback = await client.get(choice.headers["location"])
    cookie = callback.headers["set-cookie"].lower()
    assert "mutasi_sesi=" in cookie
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "secure" not in cookie  # plain http on loopback; Secure behind TLS


async def test_each_role_lands_on_its_first_page(visitor, web: str):
    expected = {
        "kota-sorong:hr_officer": "/tugas",
        "kota-sorong:employee": "/pegawai",
        "kota-sorong:panel_member": "/rapat",
        "kota-sorong:auditor": "/audit",
    }
    for person, first in expected.items():
        v = Visitor(web)
        try:
            await v.sign_in(person)
            home = await v.client.get("/", follow_redirects=False)
            assert home.status_code == 303 and home.headers["location"] == first, person
        finally:
            await v.close()


async def test_a_form_post_without_the_csrf_token_is_refused_and_changes_nothing(visitor):
    await visitor.sign_in("kota-sorong:hr_officer", "/tugas")

    refused = await visitor.client.post("/keluar", data={})
    forged = await visitor.client.post("/keluar", data={"csrf_token": "not-the-token"})

    assert refused.status_code == 403 and forged.status_code == 403
    assert "Formulir tidak sah" in refused.text
    still = await visitor.get("/tugas")
    assert urlsplit(str(still.url)).path == "/tugas"  # still signed in


async def test_sign_out_ends_the_session(visitor):
    page = await visitor.sign_in("kota-sorong:hr_officer", "/tugas")

    out = await visitor.client.post("/keluar", data={"csrf_token": visitor.csrf(page)})

    assert "Anda telah keluar" in out.text
    again = await visitor.get("/tugas")
    assert urlsplit(str(again.url)).path == "/oidc/authorize"


async def test_an_expired_session_sends_the_person_to_sign_in_and_back_to_the_page(
    visitor, settings
):
    await visitor.sign_in("kota-sorong:hr_officer", "/tugas")
    sessions = settings.var_dir / "web" / "sessions"
    for path in sessions.glob("s-*.json"):
        data = json.loads(path.read_text())
        if data["claims"]["name"] == "Ratna Dewi Sawaki":
            data["expires_at"] = time.time() - 1  # as if its hours had passed
            path.write_text(json.dumps(data))

    issuer_page = await visitor.get("/notifikasi?offset=0")
    assert urlsplit(str(issuer_page.url)).path == "/oidc/authorize"
    back = await visitor.choose(issuer_page, "kota-sorong:hr_officer")
    assert str(back.url).endswith("/notifikasi?offset=0")


async def test_a_replayed_or_foreign_callback_signs_no_one_in(web: str):
    async with httpx.AsyncClient(base_url=web, timeout=60) as client:
        visitor = Visitor(web)
        visitor.client = client
        issuer_page = await client.get("/masuk", follow_redirects=True)
        choice = await visitor.choose(issuer_page, "kota-sorong:hr_officer")
        callback = choice.headers["location"]
        first = await client.get(callback)
        assert first.status_code == 303
        client.cookies.clear()
        replayed = await client.get(callback)
    assert replayed.status_code == 400 and "Gagal masuk" in replayed.text
    async with httpx.AsyncClient(base_url=web, timeout=60) as stranger:
        foreign = await stranger.get(callback)  # no sign-in was started in this browser
    assert foreign.status_code == 400


@pytest.mark.parametrize("wanted", ["//elsewhere.example/x", "https://elsewhere.example/", "/\\x"])
async def test_the_page_to_return_to_never_leaves_the_site(visitor, wanted):
    landed = await visitor.sign_in("kota-sorong:hr_officer", wanted)
    assert urlsplit(str(landed.url)).netloc == urlsplit(visitor.base_url).netloc
    assert urlsplit(str(landed.url)).path == "/tugas"


async def test_the_issuer_refuses_a_code_without_its_pkce_verifier(web: str, settings):
    async with httpx.AsyncClient(base_url=web, timeout=60) as client:
        visitor = Visitor(web)
        visitor.client = client
        issuer_page = await client.get("/masuk", follow_redirects=True)
        choice = await visitor.choose(issuer_page, "kota-sorong:hr_officer")
        code = parse_qs(urlsplit(choice.headers["location"]).query)["code"][0]
        answer = await client.post(
            "/oidc/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": f"{settings.web_url}/masuk/kembali",
                "client_id": settings.web_oidc_client_id,
                "code_verifier": "x" * 64,
            },
        )
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"
