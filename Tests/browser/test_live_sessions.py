"""Browser tests of the LiveSessions web app, in real headless Chromium against a running server.

Run through Tests/browser/run.sh, which starts the server and sets LIVE_SESSIONS_URL.
"""
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from support import (BASE_URL, LARGE_CODE, PEOPLE, TIMEOUT, browser_errors, new_driver, open_streams, rpc,
                     screenshot, wait, wait_for)


class BrowserTestCase(unittest.TestCase):
    def setUp(self):
        self.drivers = []

    def tearDown(self):
        for driver in self.drivers:
            errors = browser_errors(driver)
            driver.quit()
            self.assertEqual(errors, [], "uncaught errors in the page")

    def browser(self):
        driver = new_driver()
        self.drivers.append(driver)
        return driver

    def open_panel(self, driver, panel, code):
        driver.get(f"{BASE_URL}/#/{panel}/{code}")
        wait(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, f'section.panel[data-panel="{panel}"]'))

    def close(self, driver):
        self.drivers.remove(driver)
        errors = browser_errors(driver)
        driver.quit()
        self.assertEqual(errors, [], "uncaught errors in the page")


def new_session(name, people=()):
    session = rpc("sessions.create", {"name": name})
    joined = [rpc("participants.join", {"sessionCode": session["code"], "name": person}) for person in people]
    return session, joined


class LiveListTests(BrowserTestCase):
    def test_live_list_updates_when_another_client_makes_a_participant_join(self):
        session, joined = new_session("Design review", PEOPLE[:6])
        code = session["code"]
        rpc("participants.setStatus", {"sessionCode": code, "participantId": joined[1]["id"], "status": "idle"})
        rpc("participants.setStatus", {"sessionCode": code, "participantId": joined[4]["id"], "status": "away"})
        driver = self.browser()
        self.open_panel(driver, "live", code)
        rows = lambda d: d.find_elements(By.CSS_SELECTOR, "#participants tbody tr[data-participant-id]")
        wait(driver).until(lambda d: len(rows(d)) == 6)
        self.assertEqual(driver.find_element(By.CSS_SELECTOR, '[data-stat="total"]').text, "6")

        # Another client (this Python process) makes someone join: the table and stats follow.
        newcomer = rpc("participants.join", {"sessionCode": code, "name": "Zed Outsider"})
        wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, f'tr[data-participant-id="{newcomer["id"]}"]'))
        wait(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, '[data-stat="total"]').text == "7")
        self.assertEqual(driver.find_element(By.CSS_SELECTOR, '[data-stat="active"]').text, "5")

        # A status change made elsewhere shows as a pill.
        rpc("participants.setStatus", {"sessionCode": code, "participantId": newcomer["id"], "status": "away"})
        wait(driver).until(lambda d: d.find_element(
            By.CSS_SELECTOR, f'tr[data-participant-id="{newcomer["id"]}"]').get_attribute("data-status") == "away")
        wait(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, '[data-stat="away"]').text == "2")

        # The page's own commands: "join as…" and "leave".
        name_input = driver.find_element(By.CSS_SELECTOR, "#join-as input")
        name_input.send_keys("Lin Browser", Keys.ENTER)
        wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, 'tr[data-name="Lin Browser"]'))
        self.assertTrue(wait(driver).until(lambda d: d.find_element(By.ID, "connection").get_attribute("data-state") == "open"))
        wait(driver).until(lambda d: not d.find_elements(By.CSS_SELECTOR, ".toast"))
        screenshot(driver, "live")
        wait(driver).until(lambda d: d.find_element(
            By.CSS_SELECTOR, f'tr[data-participant-id="{newcomer["id"]}"] [data-action="leave"]').click() or True)
        wait(driver).until(lambda d: not d.find_elements(By.CSS_SELECTOR, f'tr[data-participant-id="{newcomer["id"]}"]'))
        page = rpc("participants.page", {"sessionCode": code, "pageSize": 200})
        names = [p["name"] for p in page["items"]]
        self.assertIn("Lin Browser", names)
        self.assertNotIn("Zed Outsider", names)


class StartPageTests(BrowserTestCase):
    def test_creating_a_session_from_the_start_page_deep_links_to_its_live_list(self):
        driver = self.browser()
        driver.get(f"{BASE_URL}/")
        form = wait(driver).until(lambda d: d.find_element(By.ID, "create-form"))
        form.find_element(By.NAME, "name").send_keys("Team sync")
        form.find_element(By.NAME, "me").send_keys("Ada Lovelace", Keys.ENTER)
        wait(driver).until(lambda d: d.current_url.split("#", 1)[-1].startswith("/live/"))
        code = driver.current_url.rsplit("/", 1)[-1]
        self.assertRegex(code, r"^[A-Z0-9]{6}$")
        self.assertEqual(driver.find_element(By.ID, "session-code").text, code)
        self.assertEqual(driver.find_element(By.ID, "session-name").text, "Team sync")
        wait(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, 'tr[data-name="Ada Lovelace"] .tag').text == "you")
        # A second user joins with the code from the start page.
        other = self.browser()
        other.get(f"{BASE_URL}/")
        form = wait(other).until(lambda d: d.find_element(By.ID, "join-form"))
        form.find_element(By.NAME, "code").send_keys(code.lower())
        form.find_element(By.NAME, "me").send_keys("Grace Hopper", Keys.ENTER)
        wait(other).until(lambda d: d.current_url.endswith(f"#/live/{code}"))
        wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, 'tr[data-name="Grace Hopper"]'))
        # Each deep link opens its panel.
        for panel in ("progressive", "board", "scroll", "live"):
            other.get(f"{BASE_URL}/#/{panel}/{code}")
            wait(other).until(lambda d: d.find_element(By.CSS_SELECTOR, f'.tab.active[data-panel="{panel}"]'))


class ProgressiveTests(BrowserTestCase):
    STAGES = ["session", "participants", "analytics", "insights"]

    def test_stages_appear_in_order_and_the_first_before_the_last_is_computed(self):
        code = LARGE_CODE
        if code is None:
            session, _ = new_session("Quarterly all-hands", PEOPLE)
            code = session["code"]
        driver = self.browser()
        # Record, in the page, what was on screen each time a stage arrived.
        driver.get(f"{BASE_URL}/#/")
        driver.execute_script("""
            window.__stageLog = [];
            new MutationObserver(() => {
              for (const s of document.querySelectorAll('section.stage[data-loaded="true"]')) {
                if (!window.__stageLog.some((e) => e.stage === s.dataset.stage)) {
                  window.__stageLog.push({stage: s.dataset.stage, at: Number(s.dataset.loadedAt),
                    loaded: [...document.querySelectorAll('section.stage')].filter((x) => x.dataset.loaded === 'true').map((x) => x.dataset.stage),
                    skeletons: document.querySelectorAll('section.stage[data-loaded="false"] .skeleton').length});
                }
              }
            }).observe(document.getElementById('main'), {subtree: true, attributes: true, attributeFilter: ['data-loaded']});
        """)
        driver.get(f"{BASE_URL}/#/progressive/{code}")  # same document: only the hash changes
        sections = wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, "section.stage"))
        self.assertEqual([s.get_attribute("data-stage") for s in sections], self.STAGES)
        wait(driver, TIMEOUT * 4).until(lambda d: all(
            s.get_attribute("data-loaded") == "true" for s in d.find_elements(By.CSS_SELECTOR, "section.stage")))
        log = driver.execute_script("return window.__stageLog")
        self.assertEqual([entry["stage"] for entry in log], self.STAGES, log)
        times = {entry["stage"]: entry["at"] for entry in log}
        self.assertEqual(sorted(self.STAGES, key=lambda s: times[s]), self.STAGES, times)
        # When the first stage appeared, the later ones were still placeholders.
        self.assertEqual(log[0]["loaded"], ["session"], log)
        self.assertGreater(log[0]["skeletons"], 0)
        if LARGE_CODE is not None:
            # Analytics over the large seeded session take a visible time after the session arrived.
            self.assertGreater(times["insights"], times["session"], times)
        orders = [int(s.get_attribute("data-order")) for s in driver.find_elements(By.CSS_SELECTOR, "section.stage")]
        self.assertEqual(orders, [1, 2, 3, 4])
        print(f"\nprogressive arrival (ms since start): {times}")
        screenshot(driver, "progressive", full_page=True)


class BoardTests(BrowserTestCase):
    def board_card(self, driver, entity_id):
        return driver.find_element(By.CSS_SELECTOR, f'article.entity[data-entity-id="{entity_id}"]')

    def open_board(self, code, entity_id):
        driver = self.browser()
        self.open_panel(driver, "board", code)
        wait(driver).until(lambda d: self.board_card(d, entity_id).get_attribute("data-watch") == "open")
        return driver

    def test_two_browsers_edit_the_same_entity_and_no_text_is_lost(self):
        session, _ = new_session("Sprint planning", PEOPLE[:3])
        code = session["code"]
        entity = rpc("entities.create", {"sessionCode": code, "title": "Write the release notes"})
        other = rpc("entities.create", {"sessionCode": code, "title": "Book the demo room"})
        rpc("entities.update", {"entityId": other["id"], "changes": {"status": "doing", "notes": "Room 4 or the big one."}, "baseVersion": 1})
        todo = rpc("entities.create", {"sessionCode": code, "title": "Update the README"})
        rpc("entities.update", {"entityId": todo["id"], "changes": {"notes": "Two commands on a fresh machine."}, "baseVersion": 1})
        done = rpc("entities.create", {"sessionCode": code, "title": "Fix the flaky reconnect test"})
        rpc("entities.update", {"entityId": done["id"], "changes": {"status": "done", "notes": "Waits on a signal now, no sleeps."}, "baseVersion": 1})
        eid = entity["id"]
        alice = self.open_board(code, eid)
        bob = self.open_board(code, eid)

        # 1. Different fields at the same time: merged automatically.
        alice_title = self.board_card(alice, eid).find_element(By.CSS_SELECTOR, ".entity-title")
        alice_title.send_keys(Keys.END, " for 2.0")          # typed, not yet saved
        bob_status = self.board_card(bob, eid).find_element(By.CSS_SELECTOR, ".entity-status")
        Select(bob_status).select_by_value("doing")            # saved at once
        wait(bob).until(lambda d: self.board_card(d, eid).get_attribute("data-sync") == "idle"
                        and self.board_card(d, eid).get_attribute("data-version") == "2")
        alice_title.send_keys(Keys.ENTER)
        expected_title = "Write the release notes for 2.0"
        wait_for(lambda: rpc("entities.list", {"sessionCode": code})[0]["title"] == expected_title, message="merged title")
        current = [e for e in rpc("entities.list", {"sessionCode": code}) if e["id"] == eid][0]
        self.assertEqual((current["title"], current["status"]), (expected_title, "doing"))
        for driver in (alice, bob):
            wait(driver).until(lambda d: self.board_card(d, eid).find_element(By.CSS_SELECTOR, ".entity-title").get_attribute("value") == expected_title)
            wait(driver).until(lambda d: self.board_card(d, eid).get_attribute("data-sync") == "idle")
            self.assertEqual(self.board_card(driver, eid).find_element(By.CSS_SELECTOR, ".entity-status").get_attribute("value"), "doing")
            # The card moved to the "doing" column.
            self.assertEqual(self.board_card(driver, eid).find_element(By.XPATH, "ancestor::section[@data-column]").get_attribute("data-column"), "doing")

        # 2. The same field at the same time: Bob sees both texts and keeps both.
        version = current["version"]
        bob_notes = self.board_card(bob, eid).find_element(By.CSS_SELECTOR, ".entity-notes")
        bob_notes.click()
        bob_notes.send_keys("Bob: mention the new SSE client.")   # typing, not saved yet
        alice_notes = self.board_card(alice, eid).find_element(By.CSS_SELECTOR, ".entity-notes")
        alice_notes.click()
        alice_notes.send_keys("Alice: list the breaking changes first.")
        alice.find_element(By.CSS_SELECTOR, ".panel-head h1").click()   # blur saves
        wait(alice).until(lambda d: self.board_card(d, eid).get_attribute("data-version") == str(version + 1)
                          and self.board_card(d, eid).get_attribute("data-sync") == "idle")
        # Bob's watch has seen Alice's version, but his own text is still in his field.
        wait_for(lambda: bob.execute_script("return arguments[0].value", bob_notes) == "Bob: mention the new SSE client.",
                 message="Bob's unsaved text")
        bob.find_element(By.CSS_SELECTOR, ".panel-head h1").click()     # Bob saves: a real conflict
        conflict = wait(bob).until(lambda d: self.board_card(d, eid).find_element(By.CSS_SELECTOR, '[data-conflict-field="notes"]'))
        self.assertEqual(self.board_card(bob, eid).get_attribute("data-sync"), "conflict")
        self.assertEqual(conflict.find_element(By.CSS_SELECTOR, '[data-side="mine"]').text, "Bob: mention the new SSE client.")
        self.assertEqual(conflict.find_element(By.CSS_SELECTOR, '[data-side="theirs"]').text, "Alice: list the breaking changes first.")
        screenshot(bob, "board", full_page=True)
        conflict.find_element(By.CSS_SELECTOR, '[data-resolve="both"]').click()
        both = "Alice: list the breaking changes first.\n\nBob: mention the new SSE client."
        wait(bob).until(lambda d: self.board_card(d, eid).get_attribute("data-sync") == "idle"
                        and self.board_card(d, eid).get_attribute("data-version") == str(version + 2))
        current = [e for e in rpc("entities.list", {"sessionCode": code}) if e["id"] == eid][0]
        self.assertEqual(current["notes"], both)
        self.assertEqual(current["title"], expected_title)
        for driver in (alice, bob):
            wait(driver).until(lambda d: d.execute_script(
                "return arguments[0].value", self.board_card(d, eid).find_element(By.CSS_SELECTOR, ".entity-notes")) == both)
            self.assertFalse(self.board_card(driver, eid).find_elements(By.CSS_SELECTOR, ".conflict"))

    def test_keep_mine_and_keep_theirs_resolve_a_title_conflict(self):
        session, _ = new_session("Retro", [])
        code = session["code"]
        eid = rpc("entities.create", {"sessionCode": code, "title": "Original"})["id"]
        driver = self.open_board(code, eid)
        title = self.board_card(driver, eid).find_element(By.CSS_SELECTOR, ".entity-title")
        title.send_keys(Keys.CONTROL, "a")
        title.send_keys("Mine")
        rpc("entities.update", {"entityId": eid, "changes": {"title": "Theirs"}, "baseVersion": 1})
        title.send_keys(Keys.ENTER)
        conflict = wait(driver).until(lambda d: self.board_card(d, eid).find_element(By.CSS_SELECTOR, '[data-conflict-field="title"]'))
        conflict.find_element(By.CSS_SELECTOR, '[data-resolve="mine"]').click()
        wait_for(lambda: rpc("entities.list", {"sessionCode": code})[0]["title"] == "Mine", message="kept mine")
        wait(driver).until(lambda d: self.board_card(d, eid).get_attribute("data-sync") == "idle")
        version = rpc("entities.list", {"sessionCode": code})[0]["version"]
        wait(driver).until(lambda d: self.board_card(d, eid).get_attribute("data-version") == str(version))

        title = self.board_card(driver, eid).find_element(By.CSS_SELECTOR, ".entity-title")
        title.send_keys(Keys.CONTROL, "a")
        title.send_keys("Mine again")
        rpc("entities.update", {"entityId": eid, "changes": {"title": "Theirs again"}, "baseVersion": version})
        title.send_keys(Keys.ENTER)
        conflict = wait(driver).until(lambda d: self.board_card(d, eid).find_element(By.CSS_SELECTOR, '[data-conflict-field="title"]'))
        self.assertEqual(conflict.find_element(By.CSS_SELECTOR, '[data-side="mine"]').text, "Mine again")
        conflict.find_element(By.CSS_SELECTOR, '[data-resolve="theirs"]').click()
        wait(driver).until(lambda d: self.board_card(d, eid).get_attribute("data-sync") == "idle")
        self.assertEqual(rpc("entities.list", {"sessionCode": code})[0]["title"], "Theirs again")
        self.assertEqual(self.board_card(driver, eid).find_element(By.CSS_SELECTOR, ".entity-title").get_attribute("value"), "Theirs again")


class InfiniteScrollTests(BrowserTestCase):
    def test_scrolling_loads_pages_only_when_the_sentinel_is_visible_and_stops_at_the_end(self):
        names = [f"{PEOPLE[i % len(PEOPLE)]}" for i in range(60)]
        session, joined = new_session("Community call", names)
        code = session["code"]
        driver = self.browser()
        self.open_panel(driver, "scroll", code)
        directory = wait(driver).until(lambda d: d.find_element(By.ID, "directory"))
        wait(driver).until(lambda d: directory.get_attribute("data-pages") == "1" and directory.get_attribute("data-loading") == "false")
        screenshot(driver, "scroll")
        # The sentinel is below the fold, so no second page was requested.
        self.assertEqual(directory.get_attribute("data-requests"), "1")
        self.assertFalse(driver.execute_script("""
            const s = document.getElementById('sentinel').getBoundingClientRect();
            const r = document.getElementById('scroller').getBoundingClientRect();
            return s.top < r.bottom;"""))
        self.assertEqual(len(driver.find_elements(By.CSS_SELECTOR, "#directory li[data-participant-id]")), 25)
        for expected_pages in (2, 3):
            driver.execute_script("const s = document.getElementById('scroller'); s.scrollTop = s.scrollHeight;")
            wait(driver).until(lambda d: directory.get_attribute("data-pages") == str(expected_pages)
                               and directory.get_attribute("data-loading") == "false")
        wait(driver).until(lambda d: d.find_element(By.ID, "end-of-list").is_displayed())
        ids = [int(e.get_attribute("data-participant-id")) for e in driver.find_elements(By.CSS_SELECTOR, "#directory li[data-participant-id]")]
        self.assertEqual(ids, [p["id"] for p in joined])
        self.assertEqual(directory.get_attribute("data-has-more"), "false")
        # Scrolling further at the end requests nothing more.
        driver.execute_script("const s = document.getElementById('scroller'); s.scrollTop = 0; s.scrollTop = s.scrollHeight;")
        self.assertEqual(driver.execute_script("return document.getElementById('sentinel')"), None)
        self.assertEqual(directory.get_attribute("data-requests"), "3")


class StreamLifecycleTests(BrowserTestCase):
    def test_closing_the_page_and_switching_panels_end_the_streams_on_the_server(self):
        session, _ = new_session("Lifecycle", PEOPLE[:2])
        code = session["code"]
        for title in ("One", "Two"):
            rpc("entities.create", {"sessionCode": code, "title": title})
        wait_for(lambda: open_streams() == 0, message="no open streams before the test")

        driver = self.browser()
        self.open_panel(driver, "live", code)
        wait(driver).until(lambda d: d.find_element(By.ID, "connection").get_attribute("data-state") == "open")
        wait_for(lambda: open_streams() == 1, message="the live list's stream")

        # Switching panels aborts the panel's streams.
        driver.find_element(By.CSS_SELECTOR, '.tab[data-panel="board"]').click()
        wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, 'article.entity[data-watch="open"]')) == 2)
        wait_for(lambda: open_streams() == 2, message="two card watches, the live list's stream gone")
        driver.find_element(By.CSS_SELECTOR, '.tab[data-panel="scroll"]').click()
        wait_for(lambda: open_streams() == 0, message="no streams on the directory")

        # Closing the page hangs up its streams.
        driver.find_element(By.CSS_SELECTOR, '.tab[data-panel="board"]').click()
        other = self.browser()
        self.open_panel(other, "live", code)
        wait_for(lambda: open_streams() == 3, message="two watches and a live list in two pages")
        self.close(driver)
        wait_for(lambda: open_streams() == 1, message="the closed page's streams ended")
        self.close(other)
        wait_for(lambda: open_streams() == 0, message="every stream ended")


if __name__ == "__main__":
    unittest.main()
