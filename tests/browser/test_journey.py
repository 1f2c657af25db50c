"""The main journey in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright):
a recruiter signs in, uploads three badges for two candidates (one tampered), sees the tampered
one marked invalid, creates a role and opens its shortlist; a hiring manager is refused the
upload page. Screenshots go to artifacts/; the journey's duration and a person's estimated time
are written to artifacts/journey.txt."""
from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from tests.webapp_fixtures import build_taxonomy, skill_uri

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
PASSWORD = "a long passphrase"
# A person's time for each kind of step, in seconds: reading a page and finding the control,
# typing into a field, choosing files in a file dialog or dragging them, reading the results.
HUMAN_SECONDS = {"click": 3, "type": 6, "files": 12, "read": 15}

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
    pytest.skip(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)", allow_module_level=True)


class Journey:
    """Counts the steps a person would take and saves numbered screenshots."""

    def __init__(self, page) -> None:
        self.page = page
        self.steps: dict[str, int] = {k: 0 for k in HUMAN_SECONDS}
        self.shots: list[str] = []

    def step(self, kind: str, n: int = 1) -> None:
        self.steps[kind] += n

    def shot(self, name: str) -> None:
        path = ARTIFACTS / f"journey-{len(self.shots) + 1:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.shots.append(path.name)

    def human_seconds(self) -> int:
        return sum(HUMAN_SECONDS[k] * n for k, n in self.steps.items())


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    from werkzeug.serving import make_server

    from webapp import create_app
    from webapp.auth import create_user
    from webapp.db import get_db
    instance = tmp_path_factory.mktemp("instance")
    app = create_app({"SECRET_KEY": "browser-test", "DATABASE_URL": f"sqlite:///{instance / 'journey.sqlite3'}",
                      "TAXONOMY": build_taxonomy(), "JOB_WORKER": "thread", "SKILLPROOF_ENV": "development"},
                     instance_path=str(instance))
    with get_db(app).transaction() as session:
        create_user(session, "riley", PASSWORD, "recruiter")
        create_user(session, "morgan", PASSWORD, "hiring_manager")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        app.extensions["skillproof.jobs"].stop()
        get_db(app).dispose()


@pytest.fixture(scope="module")
def badges(tmp_path_factory):
    """Three badges signed by our own issuer for two candidates; the statistics one is tampered."""
    from webapp.demo import DemoIssuer, tampered
    issuer = DemoIssuer.generate()
    folder = tmp_path_factory.mktemp("badges")
    files = {
        "maya-sql.json": issuer.badge(achievement="SQL for data analysis", email="maya@example.org",
                                      skills=[("SQL", skill_uri("sql")), ("data analysis", skill_uri("data-analysis"))]),
        "maya-statistics.json": tampered(issuer.badge(achievement="Statistics", email="maya@example.org",
                                                      skills=[("statistics", skill_uri("statistics"))])),
        "omar-sql.json": issuer.badge(achievement="SQL basics", email="omar@example.org",
                                      skills=[("SQL", skill_uri("sql"))]),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def _sign_in(journey: Journey, base: str, username: str) -> None:
    page = journey.page
    page.goto(base + "/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    journey.step("type", 2)
    page.get_by_role("button", name="Sign in").click()
    journey.step("click")
    page.wait_for_url(base + "/")


def _drop_files(page, selector: str, files: list[Path]) -> None:
    """Drag and drop, as a person would from a file manager: a drop event carrying the files."""
    payload = [{"name": f.name, "text": f.read_text()} for f in files]
    page.evaluate("""([selector, files]) => {
        const transfer = new DataTransfer();
        for (const f of files) transfer.items.add(new File([f.text], f.name, {type: "application/json"}));
        const zone = document.querySelector(selector);
        zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: transfer, bubbles: true, cancelable: true}));
        zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
    }""", [selector, payload])


def test_recruiter_journey_and_hiring_manager_refusal(live_app, badges):
    app, base = live_app
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 800})
            page = context.new_page()
            problems: list[str] = []
            # Console errors (a CSP violation is one) fail the test; the refused page's own 403 is expected.
            page.on("console", lambda m: problems.append(m.text)
                    if m.type == "error" and "status of 403" not in m.text else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("request", lambda r: problems.append(f"off-site request {r.url}")
                    if not r.url.startswith(base) else None)
            journey = Journey(page)
            started = time.perf_counter()

            # 1. a recruiter signs in
            _sign_in(journey, base, "riley")
            journey.shot("signed-in")

            # 2. two badges for a new candidate, picked with the file dialog
            page.get_by_role("link", name="Upload", exact=True).click()
            journey.step("click")
            page.get_by_label("Name").fill("Maya Lin")
            page.get_by_label("Email").fill("maya@example.org")
            journey.step("type", 2)
            page.set_input_files("#files", [str(badges / "maya-sql.json"), str(badges / "maya-statistics.json")])
            journey.step("files")
            sync_api.expect(page.locator("#file-list li")).to_have_count(2)
            journey.shot("upload-form")
            page.get_by_role("button", name="Upload and verify").click()
            journey.step("click")
            sync_api.expect(page.locator(".job-progress[data-finished=yes]")).to_have_count(1, timeout=30000)
            sync_api.expect(page.locator("#job-bar")).to_have_attribute("value", "2")

            # 3. the tampered one is marked invalid, with the failing check in plain words
            tampered_item = page.locator("ol.results li", has_text="maya-statistics.json")
            sync_api.expect(tampered_item.locator(".verdict")).to_have_text("Invalid")
            sync_api.expect(tampered_item).to_contain_text("Signature")
            sync_api.expect(tampered_item).to_contain_text("does not match")
            genuine = page.locator("ol.results li", has_text="maya-sql.json")
            sync_api.expect(genuine.locator(".verdict")).to_have_text("Valid")
            journey.step("read")
            journey.shot("upload-results")

            # the third badge, for a second candidate, dragged onto the page
            page.get_by_role("link", name="Upload", exact=True).click()
            journey.step("click")
            page.get_by_label("Name").fill("Omar Haddad")
            page.get_by_label("Email").fill("omar@example.org")
            journey.step("type", 2)
            _drop_files(page, "#dropzone", [badges / "omar-sql.json"])
            journey.step("files")
            sync_api.expect(page.locator("#file-list li")).to_have_text(["omar-sql.json (2 kB)"])
            page.get_by_role("button", name="Upload and verify").click()
            journey.step("click")
            sync_api.expect(page.locator(".job-progress[data-finished=yes]")).to_have_count(1, timeout=30000)
            sync_api.expect(page.locator("ol.results li .verdict")).to_have_text(["Valid"])
            journey.step("read")

            # the candidate page explains the checks
            page.get_by_role("link", name="Omar Haddad").click()
            journey.step("click")
            page.get_by_text("All 9 checks").first.click()
            journey.step("click")
            sync_api.expect(page.locator("details.checks table").first).to_be_visible()
            journey.shot("candidate")

            # 4. a role from a taxonomy occupation; SQL made a must-have
            page.get_by_role("link", name="Roles & shortlists").click()
            page.get_by_role("link", name="New role").click()
            journey.step("click", 2)
            page.get_by_label("Occupation").fill("data analyst")
            page.get_by_role("button", name="Search").click()
            journey.step("type")
            journey.step("click")
            hit = page.locator("ul.hits li", has_text="data analyst")
            hit.get_by_role("button", name="Use this occupation").click()
            journey.step("click")
            sync_api.expect(page.locator("table.requirements caption")).to_have_text("Requirements (4)")
            page.get_by_label("SQL is a must-have").check()
            journey.step("click")
            journey.shot("role")
            page.get_by_role("button", name="Save and open shortlist").click()
            journey.step("click")

            # 5. the ranking and the heatmap
            table = page.locator("table#shortlist")
            sync_api.expect(table).to_be_visible()
            sync_api.expect(table.locator("tbody th.who")).to_have_text(["Maya Lin", "Omar Haddad"])
            sync_api.expect(table.locator("tbody tr").first.locator("td.rank")).to_have_text("1")
            assert table.locator("tbody meter").count() == 2
            cells = table.locator("tbody td.heat")
            assert cells.count() == 2 * 4
            assert table.locator("tbody td.heat button.cell").count() == 3  # SQL x2, data analysis x1
            levels = {c.get_attribute("class") for c in cells.all()}
            assert "heat h0" in levels and any(l != "heat h0" for l in levels)
            sync_api.expect(table.locator("tbody tr").first.locator("td.gaps")).to_contain_text("statistics")
            journey.step("read")
            journey.shot("shortlist")
            table.locator("tbody tr").first.locator("button.cell").first.click()
            journey.step("click")
            evidence = page.locator("[popover]:popover-open")
            sync_api.expect(evidence).to_contain_text("SQL for data analysis")
            sync_api.expect(evidence).to_contain_text("Why")
            journey.step("read")
            journey.shot("evidence")
            page.keyboard.press("Escape")
            with page.expect_download() as download:
                page.get_by_role("link", name="Export CSV").click()
            journey.step("click")
            exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
            assert exported.splitlines()[1].startswith("1,Maya Lin,")

            # 6. a hiring manager is refused the upload page
            page.get_by_role("button", name="Sign out").click()
            journey.step("click")
            _sign_in(journey, base, "morgan")
            sync_api.expect(page.get_by_role("link", name="Upload", exact=True)).to_have_count(0)
            response = page.goto(base + "/upload")
            journey.step("click")
            assert response.status == 403
            sync_api.expect(page.locator("h1")).to_have_text("You don't have access to this page")
            journey.shot("manager-refused")
            page.goto(base + "/roles")
            page.get_by_role("link", name="data analyst").first.click()
            sync_api.expect(page.locator("table#shortlist tbody tr")).to_have_count(2)
            journey.shot("manager-shortlist")

            elapsed = time.perf_counter() - started
            assert problems == []
        finally:
            browser.close()
    steps = sum(journey.steps.values())
    report = {"journey_seconds": round(elapsed, 2), "steps": journey.steps, "step_count": steps,
              "human_estimate_seconds": journey.human_seconds(), "seconds_per_kind": HUMAN_SECONDS,
              "screenshots": journey.shots}
    (ARTIFACTS / "journey.txt").write_text(json.dumps(report, indent=1) + "\n")
    print(f"\njourney: {elapsed:.1f} s scripted, {steps} steps, about {journey.human_seconds() / 60:.1f} min for a person")
